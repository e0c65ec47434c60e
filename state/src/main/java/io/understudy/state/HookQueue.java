package io.understudy.state;

import io.understudy.model.config.HookEvent;
import io.understudy.model.config.HookSpec;
import io.understudy.model.config.ProfileSpec;
import io.understudy.state.command.RecordHookAttempt;
import java.time.Instant;
import java.util.List;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The state machine's side of hooks: queues a {@link HookFiring} when a job ends or an alarm opens or closes (only if
 * some hook is configured for it), and settles deliveries from recorded attempts. Deterministic like the rest of
 * {@link StateMachine}: the hooks an event goes to are those configured when it fired.
 */
final class HookQueue {
    private HookQueue() {}

    /** What one recorded attempt changed, for the alarm the state machine keeps true. */
    enum Settled { NOTHING, DELIVERED, GAVE_UP }

    /** A job that ended: post-failover or failover-failed, or fallback (with its status). */
    static void jobEnded(ClusterState s, Job j) {
        HookEvent e = switch (j.type()) {
            case FAILOVER -> j.status() == Job.Status.SUCCEEDED ? HookEvent.POST_FAILOVER : HookEvent.FAILOVER_FAILED;
            case FALLBACK -> HookEvent.FALLBACK;
            // Succeeded or failed (and rolled back), UNDERSTUDY_STATUS says which.
            case MOVE -> HookEvent.POST_MOVE;
            // Nothing moved: the pair's state is in the lockstep alarms, which fire their own hooks.
            case REPAIR -> null;
        };
        if (e == null) return;
        fire(s, e, j.group(), HookVariables.job(e, j, j.ended()), j.ended());
    }

    static void alarm(ClusterState s, HookEvent e, Alarm a, Instant at) {
        String group = groupOf(s, a.subject());
        fire(s, e, group, HookVariables.alarm(e, a, group, at), at);
    }

    /** The fire-and-record event {@code e}, queued for every hook configured for it in {@code group} (or globally). */
    private static void fire(ClusterState s, HookEvent e, String group, SortedMap<String, String> variables, Instant at) {
        if (e.veto()) throw new IllegalArgumentException(e.wire() + " hooks run as a job step, not from the queue");
        List<HookSpec> hooks = s.config.hooksFor(group, e);
        if (hooks.isEmpty()) return;
        long id = s.nextHookEvent++;
        SortedMap<String, String> v = new TreeMap<>(variables);
        v.put("event_id", String.valueOf(id));
        List<HookFiring.Delivery> deliveries = hooks.stream()
                .map(h -> new HookFiring.Delivery(h.name(), HookFiring.Status.PENDING, 0, null, null, List.of())).toList();
        s.hookEvents.put(id, new HookFiring(id, e, group, v, at, deliveries));
        prune(s);
    }

    static Settled record(ClusterState s, RecordHookAttempt r) {
        HookFiring f = s.hookEvents.get(r.event());
        HookFiring.Delivery d = f == null ? null : f.delivery(r.hook());
        if (d == null || !d.pending()) return Settled.NOTHING;
        int attempts = d.attempts() + 1;
        HookSpec spec = s.config.hook(r.hook()).orElse(null);
        HookFiring.Status status = r.delivered() ? HookFiring.Status.DELIVERED
                : spec == null || attempts >= spec.attempts() ? HookFiring.Status.FAILED : HookFiring.Status.PENDING;
        List<HookFiring.Attempt> history = new java.util.ArrayList<>(d.history());
        history.add(new HookFiring.Attempt(r.at(), r.delivered(), r.result()));
        s.hookEvents.put(f.id(), f.with(new HookFiring.Delivery(d.hook(), status, attempts, r.at(), r.result(), history)));
        // A hook removed from the configuration is dropped quietly: no alarm about what the operator took away.
        if (spec == null) return Settled.NOTHING;
        return switch (status) {
            case DELIVERED -> Settled.DELIVERED;
            case FAILED -> Settled.GAVE_UP;
            case PENDING -> Settled.NOTHING;
        };
    }

    /** A server's, a profile's or a group's own group; null for a subject outside every group. */
    private static String groupOf(ClusterState s, String subject) {
        var server = s.index().groupOf(subject);
        if (server.isPresent()) return server.get().id();
        var profile = s.index().profile(subject).map(ProfileSpec::group);
        if (profile.isPresent()) return profile.get();
        return s.index().group(subject).map(g -> g.id()).orElse(null);
    }

    /** Settled events past {@link StateMachine#HISTORY} are dropped, oldest first; a pending one never is. */
    private static void prune(ClusterState s) {
        var it = s.hookEvents.values().iterator();
        int excess = s.hookEvents.size() - StateMachine.HISTORY;
        while (excess > 0 && it.hasNext()) {
            if (!it.next().pending()) {
                it.remove();
                excess--;
            }
        }
    }
}
