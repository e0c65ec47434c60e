package io.understudy.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.understudy.sim.Fault;
import io.understudy.sim.SimTimings;
import io.understudy.state.Job;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Preemption on the simulator, on a driven clock; SimFixture checks invariant 1 after every step of the clock. */
class PreemptionTest {

    private static boolean allEnded(SimFixture f) {
        return f.jobs().stream().noneMatch(Job::active);
    }

    /**
     * Found by InvariantProperties: the victim of a preemption was recorded down as soon as its spare was reserved.
     * When the spare's power could not be cut, the victim ran on there while the state said it was down, and the
     * fallback policy started it at home too: its identity live on two servers.
     */
    @Test
    void preemptionRecordedTheVictimDownWhileItStillRan() {
        SimFixture f = new SimFixture(DataCenters.demo(), SimTimings.FAST).settled();
        f.fail("dl-4", Fault.CRASH);
        assertThat(f.runUntil(() -> !f.jobs().isEmpty() && allEnded(f), Duration.ofSeconds(30))).isTrue();
        f.fail("dl-2", Fault.CRASH);
        assertThat(f.runUntil(() -> f.jobs().size() == 2 && allEnded(f), Duration.ofSeconds(30))).isTrue();
        String victimSpare = f.serverOf("web-4");
        assertThat(victimSpare).startsWith("dl-s");
        f.fail(victimSpare, Fault.STUCK_POWER);
        f.sim.repair("dl-4");

        // web-1 (better priority) fails with no free spare: it preempts web-4, whose spare will not power off.
        f.fail("dl-1", Fault.CRASH);
        assertThat(f.runUntil(() -> f.jobs().size() == 3 && allEnded(f), Duration.ofMinutes(3))).isTrue();
        Job preempting = f.jobs().get(2);
        assertThat(preempting.status()).isEqualTo(Job.Status.FAILED);
        assertThat(preempting.message()).contains("the preempted spare cannot be taken");
        assertThat(f.serverOf("web-4")).as("web-4 still runs on its spare, and the state says so").isEqualTo(victimSpare);

        // The fallback policy sees web-4 on its spare, not down: it releases it there before home takes it.
        f.run(Duration.ofMinutes(5));
        assertThat(f.sim.holders("web-4")).hasSizeLessThanOrEqualTo(1);
    }
}
