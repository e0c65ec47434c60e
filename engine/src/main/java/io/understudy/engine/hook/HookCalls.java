package io.understudy.engine.hook;

import io.understudy.model.config.HookSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;

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

    /** After a leader change: rounds started under the old term are looked at afresh (a new leader runs them again). */
    public void reset() {
        vetoRounds.clear();
    }
}
