package io.understudy.model.config;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The whole configured data center: enclosures, servers, groups and profiles, and the hooks that run for every group
 * (each group may add its own).
 */
public record DataCenterConfig(
        String name,
        List<Enclosure> enclosures,
        List<ServerSpec> servers,
        List<GroupSpec> groups,
        List<ProfileSpec> profiles,
        List<HookSpec> hooks) {

    public static final DataCenterConfig EMPTY = new DataCenterConfig("empty", null, null, null, null);

    public DataCenterConfig {
        enclosures = enclosures == null ? List.of() : List.copyOf(enclosures);
        servers = servers == null ? List.of() : List.copyOf(servers);
        groups = groups == null ? List.of() : List.copyOf(groups);
        profiles = profiles == null ? List.of() : List.copyOf(profiles);
        hooks = hooks == null ? List.of() : List.copyOf(hooks);
    }

    /** A data center without global hooks. */
    public DataCenterConfig(String name, List<Enclosure> enclosures, List<ServerSpec> servers, List<GroupSpec> groups,
                            List<ProfileSpec> profiles) {
        this(name, enclosures, servers, groups, profiles, null);
    }

    /**
     * The hooks that run on {@code event} in {@code group} (null: outside any group), in order: the global ones as
     * configured, then the group's own.
     */
    public List<HookSpec> hooksFor(String group, HookEvent event) {
        List<HookSpec> out = new java.util.ArrayList<>();
        hooks.stream().filter(h -> h.runsOn(event)).forEach(out::add);
        group(group).ifPresent(g -> g.hooks().stream().filter(h -> h.runsOn(event)).forEach(out::add));
        return out;
    }

    /** The hook named {@code name}, global or of a group. */
    public Optional<HookSpec> hook(String name) {
        return java.util.stream.Stream.concat(hooks.stream(), groups.stream().flatMap(g -> g.hooks().stream()))
                .filter(h -> Objects.equals(h.name(), name)).findFirst();
    }

    public Optional<ServerSpec> server(String id) {
        return servers.stream().filter(s -> Objects.equals(s.id(), id)).findFirst();
    }

    public Optional<GroupSpec> group(String id) {
        return groups.stream().filter(g -> Objects.equals(g.id(), id)).findFirst();
    }

    public Optional<ProfileSpec> profile(String id) {
        return profiles.stream().filter(p -> Objects.equals(p.id(), id)).findFirst();
    }

    /** The group a server belongs to, as a regular server or as a spare. */
    public Optional<GroupSpec> groupOf(String serverId) {
        return groups.stream().filter(g -> g.servers().contains(serverId) || g.spares().contains(serverId)).findFirst();
    }

    public boolean isSpare(String serverId) {
        return groups.stream().anyMatch(g -> g.spares().contains(serverId));
    }

    public Optional<ProfileSpec> profileHomedAt(String serverId) {
        return profiles.stream().filter(p -> Objects.equals(p.home(), serverId)).findFirst();
    }

    /** The protection level in force for a profile: its own override, else its group's. */
    public ProtectionLevel protectionOf(ProfileSpec profile) {
        if (profile.protection() != null) return profile.protection();
        return group(profile.group()).map(g -> g.policy().protection()).orElse(ProtectionLevel.COLD);
    }
}
