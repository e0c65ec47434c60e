package io.understudy.engine;

import io.understudy.model.ServerState;
import io.understudy.model.config.EventHandling;
import io.understudy.model.config.GroupSpec;
import io.understudy.model.time.Scheduler;
import io.understudy.state.AlarmType;
import io.understudy.state.ClusterState;
import io.understudy.state.JobType;
import io.understudy.state.ProfileRecord;
import io.understudy.state.Result;
import io.understudy.state.ServerRecord;
import io.understudy.state.StateStore;
import io.understudy.state.command.ClearAlarm;
import io.understudy.state.command.CreateJob;
import io.understudy.state.command.RaiseAlarm;
import java.util.List;
import java.util.Optional;

/**
 * Automatic event handling: turns a confirmed failure into an action, by a table from the situation to what to
 * do. It reads the replicated state each round, so a new leader picks up a failure its predecessor saw but did not
 * act on; and it acts once per failure — a failed job is not retried on its own.
 */
public final class EventHandler {
    public static final String BY = io.understudy.state.JobBudget.EVENT_HANDLING;

    /** The situations a failed server can be in, and the table's answer for each. */
    public enum Situation {
        AUTO_FAILOVER, ALERT_ONLY, MAINTENANCE, LOCKED, ALREADY_HANDLED, SPARE_FAILED, NO_PROFILE
    }

    private final StateStore store;
    private final Scheduler scheduler;
    private final Decisions decisions;
    private final AutomaticJobs automatic;

    EventHandler(StateStore store, Scheduler scheduler, Decisions decisions, AutomaticJobs automatic) {
        this.store = store;
        this.scheduler = scheduler;
        this.decisions = decisions;
        this.automatic = automatic;
    }

    public void tick() {
        // One read for the whole round: the down servers, and the subjects of alarms that may need clearing.
        record Round(List<ServerRecord> down, List<ServerRecord> alarmedUp) {}
        Round round = store.read(s -> {
            java.util.Set<String> alarmed = new java.util.HashSet<>();
            s.openAlarms().stream().filter(a -> a.type() == AlarmType.SPARE_OUT_OF_ORDER || a.type() == AlarmType.SERVER_FAILED)
                    .forEach(a -> alarmed.add(a.subject()));
            List<ServerRecord> down = s.servers().stream().filter(r -> r.state().isDown()).toList();
            List<ServerRecord> up = s.servers().stream().filter(r -> alarmed.contains(r.id())
                    && (r.state() == ServerState.RUNNING || r.state() == ServerState.OFF)).toList();
            return new Round(down, up);
        });
        round.down().forEach(this::handleFailed);
        round.alarmedUp().forEach(this::clearRecovered);
    }

    static Situation classify(ClusterState s, ServerRecord r) {
        GroupSpec g = s.index().groupOf(r.id()).orElse(null);
        Optional<ProfileRecord> p = s.profileOn(r.id());
        if (p.isEmpty()) return g != null && g.spares().contains(r.id()) ? Situation.SPARE_FAILED : Situation.NO_PROFILE;
        if (p.get().activeJob() != null || handledSince(s, p.get().id(), r)) return Situation.ALREADY_HANDLED;
        if (g == null || s.inMaintenance(g.id())) return Situation.MAINTENANCE;
        if (p.get().lockedTo() != null) return Situation.LOCKED;
        return g.policy().eventHandling() == EventHandling.AUTO_FAILOVER ? Situation.AUTO_FAILOVER : Situation.ALERT_ONLY;
    }

    /** A job for this profile from this server created since the server went down: this failure was acted on. */
    private static boolean handledSince(ClusterState s, String profile, ServerRecord r) {
        return s.jobs().stream().anyMatch(j -> j.profile().equals(profile) && r.id().equals(j.source())
                && !j.created().isBefore(r.since()));
    }

    private void handleFailed(ServerRecord r) {
        Situation situation = store.read(s -> classify(s, r));
        String profile = store.read(s -> s.profileOn(r.id()).map(ProfileRecord::id).orElse(null));
        String what = r.id() + " failed (" + r.reason() + ")";
        switch (situation) {
            case ALREADY_HANDLED, NO_PROFILE -> { }
            case SPARE_FAILED -> alarm(AlarmType.SPARE_OUT_OF_ORDER, r.id(), "spare " + r.id() + " out of order: " + r.reason());
            case MAINTENANCE -> alarm(AlarmType.SERVER_FAILED, r.id(), what + "; its group is in maintenance: no automatic job");
            case LOCKED -> alarm(AlarmType.SERVER_FAILED, r.id(), what + "; profile " + profile + " is locked to it: not moved");
            case ALERT_ONLY -> alarm(AlarmType.SERVER_FAILED, r.id(), what + "; alert-only group: waiting for an operator"
                    + " (understudy failover --server " + r.id() + ")");
            case AUTO_FAILOVER -> {
                if (!automatic.mayStart(profile, JobType.FAILOVER)) return;
                Result res = store.submit(new CreateJob(JobType.FAILOVER, profile, r.id(), BY, r.reason(), scheduler.now()));
                if (res.ok()) {
                    alarm(AlarmType.SERVER_FAILED, r.id(), what + "; failover job " + res.job() + " started for " + profile);
                    decisions.record(r.id(), "failover job " + res.job() + " started for " + profile + ": " + r.reason());
                } else {
                    decisions.record(r.id(), "no failover for " + profile + ": " + res.message());
                }
            }
        }
    }

    private void clearRecovered(ServerRecord r) {
        boolean spareAlarm = store.read(s -> s.openAlarm(AlarmType.SPARE_OUT_OF_ORDER, r.id()).isPresent());
        if (spareAlarm) store.submit(new ClearAlarm(AlarmType.SPARE_OUT_OF_ORDER, r.id(), scheduler.now()));
        boolean failedAlarm = store.read(s -> s.openAlarm(AlarmType.SERVER_FAILED, r.id()).isPresent()
                && s.activeJobs().stream().noneMatch(j -> r.id().equals(j.source())));
        if (failedAlarm && r.state() == ServerState.RUNNING) store.submit(new ClearAlarm(AlarmType.SERVER_FAILED, r.id(), scheduler.now()));
    }

    private void alarm(AlarmType type, String subject, String text) {
        boolean same = store.read(s -> s.openAlarm(type, subject).map(a -> a.text().equals(text)).orElse(false));
        if (!same) {
            store.submit(new RaiseAlarm(type, subject, text, scheduler.now()));
            decisions.record(subject, text);
        }
    }
}
