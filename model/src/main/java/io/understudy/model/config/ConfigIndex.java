package io.understudy.model.config;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** Lookups by id over one configuration, built once, so a fleet of thousands is not searched line by line. */
public final class ConfigIndex {
    private final Map<String, ServerSpec> servers = new HashMap<>();
    private final Map<String, GroupSpec> groups = new HashMap<>();
    private final Map<String, ProfileSpec> profiles = new HashMap<>();
    private final Map<String, GroupSpec> groupOfServer = new HashMap<>();
    private final Set<String> spares = new HashSet<>();

    public ConfigIndex(DataCenterConfig config) {
        config.servers().forEach(s -> servers.putIfAbsent(s.id(), s));
        config.profiles().forEach(p -> profiles.putIfAbsent(p.id(), p));
        for (GroupSpec g : config.groups()) {
            groups.putIfAbsent(g.id(), g);
            g.servers().forEach(id -> groupOfServer.putIfAbsent(id, g));
            g.spares().forEach(id -> {
                groupOfServer.putIfAbsent(id, g);
                spares.add(id);
            });
        }
    }

    public Optional<ServerSpec> server(String id) {
        return Optional.ofNullable(servers.get(id));
    }

    public Optional<GroupSpec> group(String id) {
        return Optional.ofNullable(groups.get(id));
    }

    public Optional<ProfileSpec> profile(String id) {
        return Optional.ofNullable(profiles.get(id));
    }

    public Optional<GroupSpec> groupOf(String serverId) {
        return Optional.ofNullable(groupOfServer.get(serverId));
    }

    public boolean isSpare(String serverId) {
        return spares.contains(serverId);
    }
}
