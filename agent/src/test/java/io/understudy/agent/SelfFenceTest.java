package io.understudy.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.understudy.testkit.DrivenScheduler;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** When an agent fences itself, on a driven clock: three control-plane nodes, a 2 s self-fence timeout. */
class SelfFenceTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(2);
    private static final Duration HEARTBEAT = Duration.ofMillis(500);

    private final DrivenScheduler scheduler = new DrivenScheduler();
    private final List<String> fences = new ArrayList<>();
    private final SelfFence fence = new SelfFence(3, scheduler, fences::add);

    @Test
    void oneOfThreeAcking_noMajority_fencesOnceTheTimeoutIsPassed() {
        fence.timeout(TIMEOUT);
        heartbeats(0);

        scheduler.advance(TIMEOUT);
        assertThat(fences).as("silent for exactly the timeout").isEmpty();
        scheduler.advance(SelfFence.MAX_CHECK);

        assertThat(fences).containsExactly(
                "no majority of the control plane (2 of 3 nodes) heard for 2100 ms > self-fence timeout 2000 ms");
        assertThat(fence.fenced()).isTrue();
    }

    @Test
    void twoOfThreeAcking_majority_neverFences() {
        fence.timeout(TIMEOUT);
        heartbeats(0, 1);

        scheduler.advance(Duration.ofMinutes(10));

        assertThat(fences).isEmpty();
        assertThat(fence.fenced()).isFalse();
    }

    @Test
    void fenced_staysFencedWithoutMajority_actionRunsOnce() {
        fence.timeout(TIMEOUT);
        heartbeats(2);

        scheduler.advance(Duration.ofMinutes(10));

        assertThat(fences).hasSize(1);
    }

    @Test
    void majorityBack_reArms_andAnotherSilenceFencesAgain() {
        fence.timeout(TIMEOUT);
        scheduler.advance(Duration.ofSeconds(3));
        assertThat(fences).hasSize(1);

        // A heartbeat sent before the fence and answered after it does not re-arm: it says nothing of now.
        fence.acked(0, at(Duration.ofMillis(2000)));
        fence.acked(1, at(Duration.ofMillis(2000)));
        assertThat(fence.fenced()).isTrue();

        fence.acked(0, at(Duration.ofSeconds(3)));
        assertThat(fence.fenced()).as("one node is no majority").isTrue();
        fence.acked(1, at(Duration.ofSeconds(3)));
        assertThat(fence.fenced()).isFalse();

        scheduler.advance(TIMEOUT);
        assertThat(fences).hasSize(1);
        scheduler.advance(SelfFence.MAX_CHECK);
        assertThat(fences).hasSize(2);
        assertThat(fences.get(1)).isEqualTo(
                "no majority of the control plane (2 of 3 nodes) heard for 2100 ms > self-fence timeout 2000 ms");
    }

    @Test
    void noTimeout_neverFences() {
        scheduler.advance(Duration.ofHours(1));
        assertThat(fences).isEmpty();

        fence.timeout(TIMEOUT);
        fence.timeout(null);
        scheduler.advance(Duration.ofHours(1));

        assertThat(fences).isEmpty();
        assertThat(scheduler.pending()).isZero();
    }

    @Test
    void neverAcked_countsFromConstruction() {
        scheduler.advance(Duration.ofSeconds(5));
        fence.timeout(TIMEOUT);

        scheduler.advance(SelfFence.MAX_CHECK);

        assertThat(fences).containsExactly(
                "no majority of the control plane (2 of 3 nodes) heard for 5100 ms > self-fence timeout 2000 ms");
    }

    @Test
    void contact_countsFromTheSendTimeNotTheAnswer() {
        fence.timeout(TIMEOUT);
        // Sent at 0, answered by two nodes only at 1.5 s: the nodes' silence clocks started no later than 0.
        scheduler.advance(Duration.ofMillis(1500));
        fence.acked(0, at(Duration.ZERO));
        fence.acked(1, at(Duration.ZERO));

        scheduler.advance(Duration.ofMillis(600));

        assertThat(fences).containsExactly(
                "no majority of the control plane (2 of 3 nodes) heard for 2100 ms > self-fence timeout 2000 ms");
    }

    @Test
    void ackOutOfOrder_keepsTheNewestSendTime() {
        fence.timeout(TIMEOUT);
        scheduler.advance(Duration.ofMillis(1900));
        fence.acked(0, at(Duration.ofMillis(1800)));
        fence.acked(1, at(Duration.ofMillis(1800)));
        fence.acked(1, at(Duration.ofMillis(100)));

        scheduler.advance(Duration.ofMillis(1900));

        assertThat(fences).isEmpty();
    }

    @Test
    void timeoutShortened_fencesOnTheNewOne() {
        fence.timeout(Duration.ofSeconds(30));
        scheduler.advance(Duration.ofSeconds(5));
        assertThat(fences).isEmpty();

        fence.timeout(Duration.ofSeconds(3));
        scheduler.advance(SelfFence.MAX_CHECK);

        assertThat(fences).containsExactly(
                "no majority of the control plane (2 of 3 nodes) heard for 5100 ms > self-fence timeout 3000 ms");
    }

    @Test
    void shortTimeout_checkedEveryTenth() {
        assertThat(SelfFence.checkPeriod(Duration.ofMillis(500))).isEqualTo(Duration.ofMillis(50));
        assertThat(SelfFence.checkPeriod(Duration.ofSeconds(30))).isEqualTo(SelfFence.MAX_CHECK);
        assertThat(SelfFence.checkPeriod(Duration.ofMillis(20))).isEqualTo(SelfFence.MIN_CHECK);

        fence.timeout(Duration.ofMillis(500));
        scheduler.advance(Duration.ofMillis(500));
        assertThat(fences).isEmpty();
        scheduler.advance(Duration.ofMillis(50));
        assertThat(fences).hasSize(1);
    }

    @Test
    void singleNode_itAloneIsTheMajority() {
        List<String> single = new ArrayList<>();
        SelfFence one = new SelfFence(1, scheduler, single::add);
        one.timeout(TIMEOUT);
        scheduler.advance(Duration.ofSeconds(1));
        one.acked(0, at(Duration.ofSeconds(1)));

        scheduler.advance(Duration.ofSeconds(2));
        assertThat(single).isEmpty();
        scheduler.advance(SelfFence.MAX_CHECK);

        assertThat(single).containsExactly(
                "no majority of the control plane (1 of 1 nodes) heard for 2100 ms > self-fence timeout 2000 ms");
        one.close();
    }

    @Test
    void actionThrows_fencedOnceAndCheckingGoesOn() {
        SelfFence failing = new SelfFence(3, scheduler, why -> {
            fences.add(why);
            throw new IllegalStateException("workload stop failed");
        });
        failing.timeout(TIMEOUT);

        scheduler.advance(Duration.ofSeconds(10));

        assertThat(fences).hasSize(1);
        assertThat(failing.fenced()).isTrue();
        failing.close();
    }

    @Test
    void close_stopsChecking() {
        fence.timeout(TIMEOUT);
        fence.close();

        scheduler.advance(Duration.ofMinutes(1));

        assertThat(fences).isEmpty();
        assertThat(scheduler.pending()).isZero();
    }

    @Test
    void badArguments_refused() {
        assertThatThrownBy(() -> new SelfFence(0, scheduler, why -> {})).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> fence.acked(3, 0)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("0..2");
    }

    /** The given nodes accept a heartbeat every {@link #HEARTBEAT}, each counted from the time it was sent. */
    private void heartbeats(int... nodes) {
        scheduler.every(HEARTBEAT, () -> {
            long sent = scheduler.now().toEpochMilli();
            for (int n : nodes) fence.acked(n, sent);
        });
    }

    private long at(Duration sinceStart) {
        return java.time.Instant.parse("2026-01-01T00:00:00Z").plus(sinceStart).toEpochMilli();
    }
}
