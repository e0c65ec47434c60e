package io.understudy.state.ratis;

import io.understudy.testkit.Patience;
import static io.understudy.state.Fixtures.T0;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.understudy.state.Fixtures;
import io.understudy.state.JobType;
import io.understudy.state.StateStore;
import io.understudy.state.Step;
import io.understudy.state.command.CreateJob;
import io.understudy.state.command.FinishStep;
import io.understudy.state.ratis.RatisTestSupport.RecordingListener;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import org.apache.ratis.util.ExitUtils;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What only the Ratis store does on one node: late listeners, failing applies, a busy port. */
class RatisStateStoreTest {
    @TempDir
    Path dir;

    @BeforeAll
    static void keepJvmAlive() {
        ExitUtils.disableSystemExit();
    }

    @Test
    void addLeadershipListener_afterStart_hearsLeaderReadyThenLostOnClose() throws Exception {
        RecordingListener listener = new RecordingListener();
        long term;
        try (RatisStateStore store = RatisStateStore.start(RatisTestSupport.singleNode(dir))) {
            term = store.term();
            store.addLeadershipListener(listener);
            Awaitility.await().atMost(Patience.scaled(Duration.ofSeconds(5))).until(() -> !listener.snapshot().isEmpty());
        }
        assertThat(listener.snapshot()).containsExactly("ready:" + term, "lost");
        assertThat(listener.threads).allMatch(t -> t.equals("understudy-leadership-n1"));
    }

    @Test
    void submit_commandThatThrowsOnApply_failsAndStoreKeepsWorking() throws Exception {
        try (RatisStateStore store = RatisStateStore.start(RatisTestSupport.singleNode(dir))) {
            store.submit(Fixtures.applyConfig());
            long job = store.submit(new CreateJob(JobType.FAILOVER, "web", "s1", "operator", "test", T0)).job();

            // The state machine indexes the step list without a bound check: a bug that must not stop the server.
            assertThatThrownBy(() -> store.submit(new FinishStep(job, 99, Step.Status.DONE, "?", T0)))
                    .isInstanceOf(StateStore.StateException.class)
                    .hasMessageStartingWith("FinishStep was committed but failed to apply");

            assertThat(store.submit(Fixtures.alarm(1)).ok()).isTrue();
            assertThat(store.isLeader()).isTrue();
        }
    }

    @Test
    void start_portInUse_failsWithClearMessage() throws Exception {
        try (ServerSocket busy = new ServerSocket()) {
            busy.bind(new InetSocketAddress(0));
            RatisSettings settings = RatisSettings.singleNode("n1", dir, busy.getLocalPort());

            assertThatThrownBy(() -> RatisStateStore.start(settings))
                    .isInstanceOf(IOException.class)
                    .hasMessageContaining("Raft port " + busy.getLocalPort() + " is already in use");
        }
    }

    /**
     * CI failed with "Raft port … is already in use" when a test started a node on a port that had just been free:
     * a port held for a moment (a node's previous run still closing) failed the start at once. Now the start asks again.
     */
    @Test
    void startFailedOnAPortHeldOnlyForAMoment() throws Exception {
        ServerSocket held = new ServerSocket();
        held.bind(new InetSocketAddress(io.understudy.testkit.Ports.free()));
        int port = held.getLocalPort();
        Thread release = new Thread(() -> {
            try {
                Thread.sleep(300);
                held.close();
            } catch (Exception ignored) {
                // closed by the finally below
            }
        });
        release.start();
        try (RatisStateStore store = RatisStateStore.start(RatisSettings.singleNode("n1", dir, port))) {
            assertThat(store.submit(Fixtures.alarm(1)).ok()).isTrue();
        } finally {
            release.join();
            held.close();
        }
    }
}
