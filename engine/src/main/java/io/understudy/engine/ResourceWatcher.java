package io.understudy.engine;

import io.understudy.model.Resources;
import io.understudy.model.time.Scheduler;
import io.understudy.state.ServerRecord;
import io.understudy.state.StateStore;
import io.understudy.state.command.ReportResources;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Makes what agents report count (seed 003: a spare's resources are checked all the time, so the chosen one fits):
 * the resources each agent last reported are recorded in the replicated state, where spare qualification, capacity
 * and the state machine's reservation guard read them. A report is written only when it differs from the record —
 * never a Raft write per heartbeat — and the state machine raises or clears {@code resources-mismatch}.
 */
final class ResourceWatcher {
    static final Duration EVERY = Duration.ofSeconds(1);

    private final StateStore store;
    private final Supplier<Map<String, Resources>> reported;
    private final Scheduler scheduler;
    private final Decisions decisions;
    private Instant last;

    ResourceWatcher(StateStore store, Supplier<Map<String, Resources>> reported, Scheduler scheduler, Decisions decisions) {
        this.store = store;
        this.reported = reported;
        this.scheduler = scheduler;
        this.decisions = decisions;
    }

    void tick() {
        Instant now = scheduler.now();
        if (last != null && now.isBefore(last.plus(EVERY))) return;
        last = now;
        for (Map.Entry<String, Resources> e : reported.get().entrySet()) {
            Resources recorded = store.read(s -> {
                ServerRecord r = s.server(e.getKey());
                return r == null ? e.getValue() : r.reported();
            });
            if (e.getValue().equals(recorded)) continue;
            var result = store.submit(new ReportResources(e.getKey(), e.getValue(), now));
            if (result.ok()) decisions.record(e.getKey(), "resources reported by the agent of " + e.getKey() + " recorded: " + result.message());
        }
    }
}
