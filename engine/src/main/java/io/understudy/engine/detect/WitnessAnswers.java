package io.understudy.engine.detect;

import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * The leader's questions to its witnesses, asked off the tick: a round starts a question when it has suspects and
 * none is out, and later rounds use the newest answer once it has arrived. The tick never waits on a peer; a suspect
 * is convicted only on an answer asked after it became a suspect, so a node cut off from the agents still holds back.
 */
final class WitnessAnswers {
    private record Question(Instant at, Set<String> about, CompletableFuture<Map<String, Duration>> answer) {}

    private Question pending;
    private Question answered;

    /**
     * How long ago another node heard each of {@code servers}, as of {@code now}, from an answer asked at or after
     * {@code since}; null while there is none yet (a question is then out).
     */
    synchronized Map<String, Duration> heard(Witnesses witnesses, Collection<String> servers, Instant since, Instant now) {
        if (pending != null && pending.answer().isDone()) {
            answered = pending;
            pending = null;
        }
        Map<String, Duration> usable = null;
        if (answered != null && !answered.at().isBefore(since) && answered.about().containsAll(servers)) {
            usable = new HashMap<>();
            Duration age = Duration.between(answered.at(), now);
            // A silence reported then has grown by the answer's age since.
            for (Map.Entry<String, Duration> e : answered.answer().getNow(Map.of()).entrySet()) usable.put(e.getKey(), e.getValue().plus(age));
        }
        if (pending == null) {
            CompletableFuture<Map<String, Duration>> f;
            try {
                f = witnesses.ask(servers).exceptionally(e -> Map.of());
            } catch (RuntimeException e) {
                f = CompletableFuture.completedFuture(Map.of());
            }
            pending = new Question(now, new HashSet<>(servers), f);
        }
        return usable;
    }

    synchronized void forget() {
        pending = null;
        answered = null;
    }
}
