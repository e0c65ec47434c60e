package io.understudy.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.understudy.sim.DemoDataCenter;
import io.understudy.sim.SimTimings;
import io.understudy.state.Job;
import io.understudy.state.ProfileRecord;
import io.understudy.state.ratis.ApplyGate;
import io.understudy.state.ratis.RatisSettings;
import io.understudy.model.ServerState;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A node restarted on a log it must replay (invariant 7): nothing — clock, simulator, engine, API — starts before
 * the replay ends, however long it takes; and the clock never runs backwards across the restart.
 */
class NodeRestartTest {
    /** Ten times faster than the wall, so the demo's clock runs ahead of it as in the issue. */
    private static final double SPEED = 10;
    /** Generous for a busy machine: this bounds waiting for things to happen, it asserts no duration. */
    private static final Duration PATIENCE = Duration.ofSeconds(120);

    @TempDir
    Path dir;

    @AfterEach
    void openGate() {
        ApplyGate.set(null);
    }

    private Node.Settings settings(int raft) {
        return new Node.Settings(dir, "127.0.0.1", 0, raft, DemoDataCenter.build(), SPEED, SimTimings.FAST);
    }

    private static int freePort() throws Exception {
        return io.understudy.testkit.Ports.free();
    }

    /**
     * Found after kill -9 restarts under load: the node waited 5 s for leadership and then took the clock origin,
     * the simulated placement and the powered-off set from a state that had not replayed its log — the fenced
     * source came back running with its identity while its profile ran on the spare (two live copies).
     */
    @Test
    void splitBrainAfterRestartBeforeReplay() throws Exception {
        int raft = freePort();
        Instant before;
        String profile;
        String spare;
        Node first = new Node(settings(raft));
        try {
            long job = first.engine().operations().failover("dl-1", "test").job();
            await().atMost(PATIENCE).until(() -> first.store().read(s -> !s.job(job).active()));
            Job done = first.store().read(s -> s.job(job));
            assertThat(done.status()).as(done.message()).isEqualTo(Job.Status.SUCCEEDED);
            profile = done.profile();
            spare = done.target();
            assertThat(first.sim().view("dl-1").state()).isEqualTo("off");
            before = first.now();
        } finally {
            first.close();
        }

        // Hold the replay at its first entry, for longer than the old 5 s wait for leadership, and look meanwhile.
        CountDownLatch held = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        ApplyGate.set(index -> {
            held.countDown();
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        CompletableFuture<Node> restarting = CompletableFuture.supplyAsync(() -> {
            try {
                return new Node(settings(raft));
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        Node second = null;
        try {
            assertThat(held.await(PATIENCE.toSeconds(), TimeUnit.SECONDS)).as("replay reached the gate").isTrue();
            Thread.sleep(RatisSettings.DEFAULT_REQUEST_TIMEOUT.multipliedBy(2).toMillis());
            assertThat(restarting).as("the node started (clock, simulator, engine, API) while its log was being replayed").isNotDone();
        } finally {
            ApplyGate.set(null);
            release.countDown();
            second = restarting.get(PATIENCE.toSeconds(), TimeUnit.SECONDS);
        }
        try {
            Node n = second;
            assertThat(n.sim().view("dl-1").state()).as("the fenced source stays off").isEqualTo("off");
            assertThat(n.sim().holders(profile)).containsExactly(spare);
            ProfileRecord p = n.store().read(s -> s.profile(profile));
            assertThat(p.server()).isEqualTo(spare);
            ServerState source = n.store().read(s -> s.server("dl-1").state());
            assertThat(source).isEqualTo(ServerState.FENCED);
            assertThat(n.now()).as("the clock resumes at or after where it stood").isAfterOrEqualTo(before);
        } finally {
            second.close();
        }
    }

    /** Found with the sped-up demo: after a restart the clock resumed at the wall clock, hours behind the state. */
    @Test
    void clockRanBackAcrossRestart() throws Exception {
        int raft = freePort();
        Instant before;
        Node first = new Node(settings(raft));
        try {
            Instant start = first.now();
            // Let the demo's clock run well ahead of the wall (at 10x, 3 s of wall time are 30 s).
            await().atMost(PATIENCE).until(() -> first.now().isAfter(start.plusSeconds(30)));
            before = first.now();
        } finally {
            first.close();
        }
        Node second = new Node(settings(raft));
        try {
            assertThat(second.now()).isAfterOrEqualTo(before);
            assertThat(second.now()).isAfterOrEqualTo(second.store().read(Node::newestTime));
        } finally {
            second.close();
        }
    }
}
