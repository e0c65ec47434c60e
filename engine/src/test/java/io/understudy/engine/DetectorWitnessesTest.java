package io.understudy.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.understudy.engine.detect.Witnesses;
import io.understudy.model.ServerState;
import io.understudy.sim.Fault;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** The leader asks the other nodes about its suspects off the tick, and convicts only on their answer. */
class DetectorWitnessesTest {

    /** Witnesses whose answers arrive only when the test gives them. */
    private static final class HeldWitnesses implements Witnesses {
        final List<CompletableFuture<Map<String, Duration>>> questions = new ArrayList<>();

        @Override
        public synchronized CompletableFuture<Map<String, Duration>> ask(Collection<String> servers) {
            CompletableFuture<Map<String, Duration>> f = new CompletableFuture<>();
            questions.add(f);
            return f;
        }

        synchronized void answerAll(Map<String, Duration> heard) {
            questions.forEach(q -> q.complete(heard));
        }

        synchronized int asked() {
            return questions.size();
        }
    }

    private ServerState state(SimFixture f, String server) {
        return f.read(s -> s.server(server).state());
    }

    /**
     * Regression: the leader asked its peers over HTTP inside the engine's tick (up to 300 ms a round with a peer
     * that does not answer), so a slow peer slowed detection, jobs and every other duty of the round. The tick now
     * only starts the question; with the answer held, rounds go on (this test thread is the tick) and nobody is convicted.
     */
    @Test
    void witnessQuestionBlockedTheTick() {
        SimFixture f = new SimFixture().settled();
        HeldWitnesses peers = new HeldWitnesses();
        f.engine.detector().witnesses(peers);
        f.fail("dl-1", Fault.HANG);
        f.run(Duration.ofSeconds(5));
        assertThat(peers.asked()).as("asked, once at a time").isEqualTo(1);
        assertThat(state(f, "dl-1")).as("not convicted before the peers answered").isEqualTo(ServerState.RUNNING);

        peers.answerAll(Map.of());   // nobody else heard it either
        assertThat(f.runUntil(() -> state(f, "dl-1") != ServerState.RUNNING, Duration.ofSeconds(5))).isTrue();
        assertThat(f.jobs()).hasSize(1);
    }
}
