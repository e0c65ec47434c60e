package io.understudy.engine.hook;

import io.understudy.model.config.HookSpec;
import io.understudy.model.time.Scheduler;
import io.understudy.state.ClusterState;
import io.understudy.state.HookFiring;
import io.understudy.state.StateStore;
import io.understudy.state.command.RecordHookAttempt;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;

/**
 * Delivers the queued fire-and-record hook events, on the leader, off the tick. Each attempt's result is recorded in
 * the replicated state, so a delivered event is never sent again whoever leads next, and a failed one is tried again
 * after the hook's {@code retryBackoff}, doubled each time, up to its {@code attempts}; then the state machine
 * raises {@code hook-failing}. One hook takes its events in the order they fired: a later one waits while an earlier
 * one is retried (an alarm's clearing never arrives before its raising).
 */
public final class HookDispatcher {
    private final StateStore store;
    private final Scheduler scheduler;
    private final HookCalls calls;
    /** Hooks with an attempt running: one at a time per hook. */
    private final Set<String> inFlight = ConcurrentHashMap.newKeySet();

    private record Due(HookFiring event, String hook, HookSpec spec) {}

    public HookDispatcher(StateStore store, Scheduler scheduler, HookCalls calls) {
        this.store = store;
        this.scheduler = scheduler;
        this.calls = calls;
    }

    public void tick() {
        Instant now = scheduler.now();
        for (Due d : store.read(s -> due(s, now))) {
            if (!inFlight.add(d.hook())) continue;
            try {
                calls.executor().execute(() -> deliver(d));
            } catch (RejectedExecutionException shuttingDown) {
                inFlight.remove(d.hook());
            }
        }
    }

    /** The oldest pending delivery of each hook, if its back-off has passed. */
    private static List<Due> due(ClusterState s, Instant now) {
        List<Due> out = new ArrayList<>();
        Set<String> older = new HashSet<>();
        for (HookFiring f : s.pendingHookEvents()) {
            for (HookFiring.Delivery d : f.deliveries()) {
                if (!d.pending() || !older.add(d.hook())) continue;
                HookSpec spec = s.config().hook(d.hook()).orElse(null);
                if (spec != null && d.attempts() > 0 && now.isBefore(d.lastAttempt().plus(backoff(spec, d.attempts())))) continue;
                out.add(new Due(f, d.hook(), spec));
            }
        }
        return out;
    }

    private void deliver(Due d) {
        try {
            HookResult r = d.spec() == null ? HookResult.failed(d.hook(), "hook '" + d.hook() + "' is no longer configured")
                    : calls.runner().run(d.spec(), d.event().variables(), d.event().idempotencyKey());
            store.submit(new RecordHookAttempt(d.event().id(), d.hook(), r.ok(), r.result(), scheduler.now()));
        } catch (RuntimeException notRecorded) {
            // Leadership lost before the attempt was recorded: the next leader makes it again, with the same key.
        } finally {
            inFlight.remove(d.hook());
        }
    }

    /** The wait after {@code attempts} failed attempts: the hook's back-off, doubled after each failure after the first. */
    static Duration backoff(HookSpec h, int attempts) {
        return h.retryBackoff().multipliedBy(1L << Math.min(Math.max(attempts - 1, 0), 20));
    }
}
