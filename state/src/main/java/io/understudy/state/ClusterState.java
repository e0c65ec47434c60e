package io.understudy.state;

import io.understudy.model.ServerView;
import io.understudy.model.config.ConfigIndex;
import io.understudy.model.config.DataCenterConfig;
import io.understudy.model.config.ProfileSpec;
import io.understudy.model.config.ServerSpec;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The replicated state: configuration, servers, profiles, jobs, alarms, maintenance. Only {@link StateMachine}
 * changes it; everyone else reads it through {@link StateMachine#read}.
 */
public final class ClusterState {
    DataCenterConfig config = DataCenterConfig.EMPTY;
    /** Derived from {@link #config} and {@link #profiles}; rebuilt by the state machine after every change. */
    private ConfigIndex index = new ConfigIndex(config);
    private Map<String, String> profileOnServer = Map.of();
    final TreeMap<String, ServerRecord> servers = new TreeMap<>();
    final TreeMap<String, ProfileRecord> profiles = new TreeMap<>();
    final TreeMap<Long, Job> jobs = new TreeMap<>();
    final TreeMap<Long, Alarm> alarms = new TreeMap<>();
    final TreeSet<String> maintenance = new TreeSet<>();
    final java.util.ArrayDeque<Change> changes = new java.util.ArrayDeque<>();
    final TreeMap<Long, HookFiring> hookEvents = new TreeMap<>();
    long nextJob = 1;
    long nextAlarm = 1;
    long nextHookEvent = 1;
    long appliedIndex = -1;

    public DataCenterConfig config() {
        return config;
    }

    /** Lookups by id into the configuration. */
    public ConfigIndex index() {
        return index;
    }

    void reindex(boolean configChanged) {
        if (configChanged) index = new ConfigIndex(config);
        Map<String, String> on = new java.util.HashMap<>();
        profiles.values().forEach(p -> {
            if (p.server() != null) on.put(p.server(), p.id());
        });
        profileOnServer = on;
    }

    public Collection<ServerRecord> servers() {
        return servers.values();
    }

    public ServerRecord server(String id) {
        return servers.get(id);
    }

    public Collection<ProfileRecord> profiles() {
        return profiles.values();
    }

    public ProfileRecord profile(String id) {
        return profiles.get(id);
    }

    public Collection<Job> jobs() {
        return jobs.values();
    }

    public Job job(long id) {
        return jobs.get(id);
    }

    public List<Job> activeJobs() {
        return jobs.values().stream().filter(Job::active).toList();
    }

    public Collection<Alarm> alarms() {
        return alarms.values();
    }

    public List<Alarm> openAlarms() {
        return alarms.values().stream().filter(Alarm::open).toList();
    }

    public Optional<Alarm> openAlarm(AlarmType type, String subject) {
        return alarms.values().stream().filter(a -> a.open() && a.type() == type && a.subject().equals(subject)).findFirst();
    }

    /** Hook events, oldest first: every one still pending and the latest settled ones (bounded). */
    public Collection<HookFiring> hookEvents() {
        return hookEvents.values();
    }

    public List<HookFiring> pendingHookEvents() {
        return hookEvents.values().stream().filter(HookFiring::pending).toList();
    }

    public boolean inMaintenance(String group) {
        return maintenance.contains(group);
    }

    public Set<String> maintenance() {
        return Set.copyOf(maintenance);
    }

    /** Who changed what, oldest first (bounded). */
    public List<Change> changes() {
        return List.copyOf(changes);
    }

    /** The index of the last log entry applied; -1 before any. */
    public long appliedIndex() {
        return appliedIndex;
    }

    /** The profile whose identity this server holds, if any. */
    public Optional<ProfileRecord> profileOn(String serverId) {
        String id = profileOnServer.get(serverId);
        return id == null ? Optional.empty() : Optional.ofNullable(profiles.get(id));
    }

    public ServerView view(String serverId) {
        ServerSpec spec = index.server(serverId).orElseThrow();
        ServerRecord r = servers.get(serverId);
        String group = index.groupOf(serverId).map(g -> g.id()).orElse(null);
        return new ServerView(spec, group, r.state(), profileOnServer.get(serverId), index.isSpare(serverId), r.reservedBy(),
                r.reported(), r.drained());
    }

    public List<ServerView> views() {
        List<ServerView> all = new ArrayList<>();
        for (ServerSpec s : config.servers()) all.add(view(s.id()));
        return all;
    }

    public Map<String, ProfileSpec> profileSpecs() {
        Map<String, ProfileSpec> m = new TreeMap<>();
        config.profiles().forEach(p -> m.put(p.id(), p));
        return m;
    }

    /**
     * Finds a server the way VCEM's CLI does: by id, {@code enclosure/bay}, hostname or any of its addresses —
     * its own or those of the profile it runs.
     */
    public Optional<String> resolveServer(String key) {
        if (key == null) return Optional.empty();
        for (ServerSpec s : config.servers()) {
            if (key.equals(s.id()) || key.equals(s.location()) || key.equals(s.hostname()) || key.equals(s.address())) {
                return Optional.of(s.id());
            }
        }
        for (ProfileRecord p : profiles.values()) {
            if (p.server() == null) continue;
            ProfileSpec spec = index.profile(p.id()).orElse(null);
            if (spec == null) continue;
            if (key.equals(spec.identity().hostname())
                    || spec.identity().addresses().stream().anyMatch(a -> a.replaceAll("/.*", "").equals(key))) {
                return Optional.of(p.server());
            }
        }
        return Optional.empty();
    }

    Snapshot snapshot() {
        return new Snapshot(config, List.copyOf(servers.values()), List.copyOf(profiles.values()),
                List.copyOf(jobs.values()), List.copyOf(alarms.values()), List.copyOf(maintenance), nextJob, nextAlarm,
                appliedIndex, List.copyOf(changes), List.copyOf(hookEvents.values()), nextHookEvent);
    }

    static ClusterState restore(Snapshot s) {
        ClusterState c = new ClusterState();
        c.config = s.config();
        s.servers().forEach(r -> c.servers.put(r.id(), r));
        s.profiles().forEach(r -> c.profiles.put(r.id(), r));
        s.jobs().forEach(j -> c.jobs.put(j.id(), j));
        s.alarms().forEach(a -> c.alarms.put(a.id(), a));
        c.maintenance.addAll(s.maintenance());
        c.nextJob = s.nextJob();
        c.nextAlarm = s.nextAlarm();
        c.appliedIndex = s.appliedIndex();
        if (s.changes() != null) c.changes.addAll(s.changes());
        if (s.hookEvents() != null) s.hookEvents().forEach(h -> c.hookEvents.put(h.id(), h));
        if (s.nextHookEvent() != null) c.nextHookEvent = s.nextHookEvent();
        c.reindex(true);
        return c;
    }

    /**
     * The whole state as plain data, for snapshots and for tests that compare replicas. The hook fields are absent
     * (null) in snapshots written before hooks existed.
     */
    public record Snapshot(DataCenterConfig config, List<ServerRecord> servers, List<ProfileRecord> profiles,
                           List<Job> jobs, List<Alarm> alarms, List<String> maintenance, long nextJob, long nextAlarm,
                           long appliedIndex, List<Change> changes, List<HookFiring> hookEvents, Long nextHookEvent) {

        public Snapshot(DataCenterConfig config, List<ServerRecord> servers, List<ProfileRecord> profiles, List<Job> jobs,
                        List<Alarm> alarms, List<String> maintenance, long nextJob, long nextAlarm, long appliedIndex,
                        List<Change> changes) {
            this(config, servers, profiles, jobs, alarms, maintenance, nextJob, nextAlarm, appliedIndex, changes, null, null);
        }
    }
}
