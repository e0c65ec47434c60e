package io.understudy.engine.hook;

import io.understudy.model.config.DataCenterConfig;
import io.understudy.model.config.HookEvent;
import io.understudy.model.config.HookSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;

/**
 * Where hooks run: on their own executor, never on the engine's tick or a job step's thread, each with its deadline
 * (the hook's timeout). Remembers the veto rounds this leader started, so a job step that waits for one looks again
 * instead of starting it twice.
 */
public final class HookCalls {
    private final HookRunner runner;
    private final Executor executor;
    private final Map<String, CompletableFuture<List<HookResult>>> vetoRounds = new ConcurrentHashMap<>();

    public HookCalls(HookRunner runner, Executor executor) {
        this.runner = runner;
        this.executor = executor;
    }

    HookRunner runner() {
        return runner;
    }

    Executor executor() {
        return executor;
    }

    /**
     * Runs {@code hooks} one after the other, stopping at the first that fails (it vetoes); empty while they run.
     * {@code key} names the round: asking again with it returns the same round's results once, then forgets them.
     */
    public Optional<List<HookResult>> vetoRound(String key, List<HookSpec> hooks, SortedMap<String, String> variables, String idempotencyKey) {
        CompletableFuture<List<HookResult>> round = vetoRounds.computeIfAbsent(key,
                k -> CompletableFuture.supplyAsync(() -> inOrder(hooks, variables, idempotencyKey), executor));
        if (!round.isDone()) return Optional.empty();
        vetoRounds.remove(key);
        return Optional.of(round.join());
    }

    /** Every hook of the event, in order, until one fails: the results so far, the failing one last. */
    public List<HookResult> inOrder(List<HookSpec> hooks, SortedMap<String, String> variables, String idempotencyKey) {
        List<HookResult> out = new ArrayList<>();
        for (HookSpec h : hooks) {
            HookResult r = runner.run(h, variables, idempotencyKey);
            out.add(r);
            if (!r.ok()) break;
        }
        return out;
    }

    /** What a sample event got from each hook configured for it: every one runs, a failing one stops nothing. */
    public record TestReport(String event, String group, SortedMap<String, String> variables, List<HookResult> results) {}

    /**
     * Runs every hook of {@code event} (global, then {@code group}'s) once with a sample event, on the hook executor,
     * and waits for them: nothing is recorded. Bounded by the hooks' own timeouts plus a margin.
     */
    public TestReport test(DataCenterConfig config, HookEvent event, String group, Instant now) {
        SortedMap<String, String> variables = HookSample.of(config, event, group, now);
        List<HookSpec> hooks = config.hooksFor(group, event);
        Duration bound = hooks.stream().map(HookSpec::timeout).reduce(Duration.ofSeconds(5), Duration::plus);
        List<HookResult> results = CompletableFuture.supplyAsync(() -> hooks.stream()
                .map(h -> runner.run(h, variables, variables.get("event_id"))).toList(), executor)
                .orTimeout(bound.toMillis(), TimeUnit.MILLISECONDS).join();
        return new TestReport(event.wire(), group, variables, results);
    }

    /** After a leader change: rounds started under the old term are looked at afresh (a new leader runs them again). */
    public void reset() {
        vetoRounds.clear();
    }
}
