package io.understudy.engine;

import io.understudy.drivers.CallContext;
import io.understudy.drivers.DataDriver;
import io.understudy.drivers.DataDriver.BackupInfo;
import io.understudy.drivers.DataDriver.Backups;
import io.understudy.drivers.DriverException;
import io.understudy.drivers.Drivers;
import io.understudy.model.ServerState;
import io.understudy.model.config.GroupSpec;
import io.understudy.model.config.ProfileSpec;
import io.understudy.model.config.ProtectionLevel;
import io.understudy.model.time.Scheduler;
import io.understudy.state.AlarmType;
import io.understudy.state.ClusterState;
import io.understudy.state.ProfileRecord;
import io.understudy.state.ServerRecord;
import io.understudy.state.StateStore;
import io.understudy.state.command.ClearAlarm;
import io.understudy.state.command.RaiseAlarm;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;

/**
 * Keeps a copy of each profile's data on its group's spares (seed 004, chapter 3). The agent of the server running
 * the profile backs up its data directory every {@code backupInterval}; after every backup, and at least every
 * {@code syncInterval}, the newest backup is copied to each running spare of the group (and to the profile's home
 * when it runs elsewhere). The side with the newer backup is the source. A failed or corrupt copy raises
 * {@code data-sync-failed} against the spare and leaves its good copies as they were; a spare without room for two
 * backups raises {@code standby-space-low} before it runs out. A preloaded standby reloads each copy it receives.
 *
 * <p>When a profile was last backed up is read from the agents (the newest backup's time), so a new leader does not
 * back everything up at once.
 */
public final class DataSync {
    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(DataSync.class);
    /** How many backups each side keeps per profile; a spare needs room for this many. */
    static final int KEEP = 2;

    private final StateStore store;
    private final Drivers drivers;
    private final Scheduler scheduler;
    private final Executor executor;
    private final Decisions decisions;
    private final Set<String> inFlight = ConcurrentHashMap.newKeySet();
    private final Map<String, Instant> lastBackup = new ConcurrentHashMap<>();
    private final Map<String, Instant> lastSync = new ConcurrentHashMap<>();

    DataSync(StateStore store, Drivers drivers, Scheduler scheduler, Executor executor, Decisions decisions) {
        this.store = store;
        this.drivers = drivers;
        this.scheduler = scheduler;
        this.executor = executor;
        this.decisions = decisions;
    }

    /** What one sync did: the backup copied, from where, to whom, and what failed. */
    public record Report(String profile, String source, BackupInfo backup, List<String> copiedTo, List<String> upToDate,
                         Map<String, String> failed) {}

    /** After a leader change the schedule is read from the agents again. */
    void reset() {
        lastBackup.clear();
        lastSync.clear();
    }

    /** The leader's round: starts due backups and syncs off the leader's loop, one at a time per profile. */
    void tick() {
        if (drivers.data().isEmpty()) return;
        Instant now = scheduler.now();
        for (Due d : store.read(DataSync::profilesWithData)) {
            Instant backedUp = lastBackup.get(d.profile.id());
            Instant synced = lastSync.get(d.profile.id());
            boolean backupDue = backedUp == null || !now.isBefore(backedUp.plus(d.group.policy().backupInterval()));
            boolean syncDue = synced == null || !now.isBefore(synced.plus(d.group.policy().syncInterval()));
            if (!backupDue && !syncDue) continue;
            if (!inFlight.add(d.profile.id())) continue;
            long term = store.term();
            executor.execute(() -> {
                try {
                    scheduled(d, term);
                } catch (RuntimeException e) {
                    // The state store refused (leadership lost): the next leader takes over the schedule.
                    log.warn("data sync of {} stopped: {}", d.profile.id(), e.toString());
                } finally {
                    inFlight.remove(d.profile.id());
                }
            });
        }
    }

    private void scheduled(Due d, long term) {
        String id = d.profile.id();
        CallContext ctx = CallContext.probe(term);
        DataDriver data = drivers.data().orElseThrow();
        Instant now = scheduler.now();
        try {
            if (!lastBackup.containsKey(id)) {
                // First look on this leader: the agent's newest backup says when the last one was taken.
                data.backups(d.server, d.profile, ctx).newest().ifPresent(b -> lastBackup.put(id, Instant.ofEpochMilli(b.takenAt())));
            }
            Instant backedUp = lastBackup.get(id);
            if (backedUp == null || !now.isBefore(backedUp.plus(d.group.policy().backupInterval()))) {
                BackupInfo b = data.backup(d.server, d.profile, ctx);
                lastBackup.put(id, now);
                decisions.record(id, "backup " + b.name() + " of " + id + " taken on " + d.server + " (" + b.size() + " bytes)");
            }
            sync(d.profile, d.server, ctx);
        } catch (DriverException e) {
            // The running server could not back up: try again at the next interval rather than every round.
            lastBackup.put(id, now);
            decisions.record(id, "backup of " + id + " on " + d.server + " failed: " + e.getMessage());
        }
    }

    /** {@code understudy backup PROFILE}: a backup on the profile's current server now, then a sync. */
    public Report backupNow(String profileId) throws DriverException {
        Due d = due(profileId);
        CallContext ctx = CallContext.probe(store.term());
        BackupInfo b = drivers.data().orElseThrow().backup(d.server, d.profile, ctx);
        lastBackup.put(profileId, scheduler.now());
        decisions.record(profileId, "backup " + b.name() + " of " + profileId + " taken on " + d.server + " on request");
        return sync(d.profile, d.server, ctx);
    }

    /** {@code understudy sync PROFILE}: copies the newest backup where it is missing, now. */
    public Report syncNow(String profileId) throws DriverException {
        Due d = due(profileId);
        return sync(d.profile, d.server, CallContext.probe(store.term()));
    }

    private Due due(String profileId) throws DriverException {
        if (drivers.data().isEmpty()) throw new DriverException(DriverException.Kind.FAILED, "this node has no data driver");
        Optional<Due> d = store.read(s -> profilesWithData(s).stream().filter(x -> x.profile.id().equals(profileId)).findFirst());
        if (d.isPresent()) return d.get();
        String why = store.read(s -> {
            ProfileSpec p = s.index().profile(profileId).orElse(null);
            if (p == null) return "unknown profile '" + profileId + "'";
            if (p.dataDir() == null) return "profile " + profileId + " names no dataDir: it has no data to back up";
            ProfileRecord r = s.profile(profileId);
            if (r == null || r.server() == null) return "profile " + profileId + " runs nowhere now";
            return "profile " + profileId + " is being moved by job " + r.activeJob() + "; try again when it is done";
        });
        throw new DriverException(DriverException.Kind.REFUSED, why);
    }

    /**
     * Copies the newest backup to every participant that lacks it: the running server, the group's running spares
     * and the profile's home. The participant with the newest backup is the source, whichever it is.
     */
    public Report sync(ProfileSpec profile, String current, CallContext ctx) throws DriverException {
        DataDriver data = drivers.data().orElseThrow(() -> new DriverException(DriverException.Kind.FAILED, "this node has no data driver"));
        List<String> targets = store.read(s -> targets(s, profile, current));
        Map<String, Backups> kept = new LinkedHashMap<>();
        Map<String, String> failed = new LinkedHashMap<>();
        kept.put(current, data.backups(current, profile, ctx));
        for (String t : targets) {
            try {
                kept.put(t, data.backups(t, profile, ctx));
            } catch (DriverException e) {
                failed.put(t, e.getMessage());
            }
        }
        String source = current;
        BackupInfo newest = kept.get(current).newest().orElse(null);
        for (var e : kept.entrySet()) {
            BackupInfo b = e.getValue().newest().orElse(null);
            if (b != null && (newest == null || b.takenAt() > newest.takenAt())) {
                newest = b;
                source = e.getKey();
            }
        }
        lastSync.put(profile.id(), scheduler.now());
        List<String> copied = new ArrayList<>();
        List<String> upToDate = new ArrayList<>();
        if (newest == null) return new Report(profile.id(), null, null, copied, upToDate, failed);
        ProtectionLevel level = store.read(s -> s.config().protectionOf(profile));
        for (var e : kept.entrySet()) {
            String target = e.getKey();
            if (target.equals(source)) continue;
            BackupInfo b = newest;
            boolean has = e.getValue().backups().stream().anyMatch(x -> x.name().equals(b.name()) && x.sha256().equals(b.sha256()));
            checkSpace(profile, target, e.getValue(), b);
            if (has) {
                upToDate.add(target);
                continue;
            }
            // A preloaded standby runs the workload already: it must read each fresh copy to stay ready.
            boolean reload = level == ProtectionLevel.PRELOADED && !target.equals(current) && isSpare(profile, target);
            try {
                data.copy(source, target, profile, b, reload, ctx);
                copied.add(target);
                clear(AlarmType.DATA_SYNC_FAILED, target);
            } catch (DriverException x) {
                failed.put(target, x.getMessage());
            }
        }
        for (var f : failed.entrySet()) {
            String text = "standby " + f.getKey() + " failed to synchronize data of " + profile.id() + ": " + f.getValue()
                    + "; its good copies are kept";
            decisions.record(profile.id(), text);
            store.submit(new RaiseAlarm(AlarmType.DATA_SYNC_FAILED, f.getKey(), text, scheduler.now()));
        }
        if (!copied.isEmpty()) {
            decisions.record(profile.id(), "backup " + newest.name() + " of " + profile.id() + " copied from " + source + " to " + copied);
        }
        return new Report(profile.id(), source, newest, copied, upToDate, failed);
    }

    /** A spare needs room for {@link #KEEP} backups of the profile; what it holds for it now counts as room. */
    private void checkSpace(ProfileSpec profile, String target, Backups kept, BackupInfo newest) {
        if (!isSpare(profile, target)) return;
        long held = kept.backups().stream().mapToLong(BackupInfo::size).sum();
        long needed = KEEP * newest.size();
        if (kept.freeBytes() + held < needed) {
            store.submit(new RaiseAlarm(AlarmType.STANDBY_SPACE_LOW, target, "standby " + target + " has "
                    + (kept.freeBytes() + held) + " bytes for backups of " + profile.id() + " but needs " + needed
                    + " (" + KEEP + " × " + newest.size() + ")", scheduler.now()));
        } else {
            clear(AlarmType.STANDBY_SPACE_LOW, target);
        }
    }

    private void clear(AlarmType type, String subject) {
        if (store.read(s -> s.openAlarm(type, subject)).isPresent()) store.submit(new ClearAlarm(type, subject, scheduler.now()));
    }

    private boolean isSpare(ProfileSpec profile, String server) {
        return store.read(s -> s.config().group(profile.group()).map(g -> g.spares().contains(server)).orElse(false));
    }

    private record Due(ProfileSpec profile, GroupSpec group, String server) {}

    /** Profiles with a data directory that run somewhere and are not being moved. */
    private static List<Due> profilesWithData(ClusterState s) {
        List<Due> out = new ArrayList<>();
        for (ProfileSpec p : s.config().profiles()) {
            if (p.dataDir() == null) continue;
            ProfileRecord r = s.profile(p.id());
            if (r == null || r.server() == null || r.activeJob() != null) continue;
            GroupSpec g = s.config().group(p.group()).orElse(null);
            ServerRecord on = s.server(r.server());
            if (g == null || on == null || on.state() != ServerState.RUNNING) continue;
            out.add(new Due(p, g, r.server()));
        }
        return out;
    }

    /** The group's running spares that hold no other profile, and the profile's home when it runs elsewhere. */
    private static List<String> targets(ClusterState s, ProfileSpec p, String current) {
        List<String> out = new ArrayList<>();
        GroupSpec g = s.config().group(p.group()).orElse(null);
        if (g == null) return out;
        List<String> candidates = new ArrayList<>(g.spares());
        if (p.home() != null) candidates.add(p.home());
        for (String id : candidates) {
            if (id.equals(current) || out.contains(id)) continue;
            ServerRecord r = s.server(id);
            if (r == null || r.state() != ServerState.RUNNING) continue;
            Optional<ProfileRecord> other = s.profileOn(id);
            if (other.isPresent() && !other.get().id().equals(p.id())) continue;
            out.add(id);
        }
        return out;
    }
}
