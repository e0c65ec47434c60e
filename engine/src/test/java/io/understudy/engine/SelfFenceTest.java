package io.understudy.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.understudy.model.config.DataCenterConfig;
import io.understudy.sim.Fault;
import io.understudy.sim.SimTimings;
import io.understudy.state.AlarmType;
import io.understudy.state.Job;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * A server whose BMC cannot fence it (seed 004's isolation rule): by default nothing moves; with
 * {@code fenceWithoutBmc} the control plane waits until the server has surely fenced itself (silent to every node for
 * twice its self-fence timeout) and only then moves the profile.
 */
class SelfFenceTest {
    static DataCenterConfig config(boolean withoutBmc) {
        return DataCenters.withPolicy(DataCenters.demo(), "hot",
                p -> DataCenters.policy(p).selfFence(Duration.ofSeconds(3), withoutBmc, Duration.ofSeconds(5)).build());
    }

    @Test
    void withoutFenceWithoutBmc_aServerWhoseBmcIsDown_isNotMoved() {
        SimFixture f = new SimFixture(config(false), SimTimings.FAST).settled();
        f.fail("dl-1", Fault.BMC_DOWN);
        f.fail("dl-1", Fault.ISOLATED);
        f.run(Duration.ofSeconds(30));
        assertThat(f.serverOf("web-1")).isEqualTo("dl-1");
        assertThat(f.jobs()).allSatisfy(j -> assertThat(j.status()).isNotEqualTo(Job.Status.SUCCEEDED));
    }

    @Test
    void withFenceWithoutBmc_theProfileMoves_onlyAfterTwiceTheSelfFenceTimeoutOfSilence() {
        SimFixture f = new SimFixture(config(true), SimTimings.FAST).settled();
        f.fail("dl-1", Fault.BMC_DOWN);
        f.fail("dl-1", Fault.ISOLATED);
        var hungAt = f.clock.now();
        assertThat(f.runUntil(() -> !f.jobs().isEmpty() && f.onlyJob().status() != Job.Status.RUNNING, Duration.ofMinutes(2))).isTrue();
        Job job = f.onlyJob();
        assertThat(job.status()).as(job.toString()).isEqualTo(Job.Status.SUCCEEDED);
        var fence = job.steps().stream().filter(s -> s.name().equals("fence")).findFirst().orElseThrow();
        assertThat(fence.message()).contains("self-fenced").contains("twice its self-fence timeout (3000 ms)");
        assertThat(Duration.between(hungAt, fence.ended())).isGreaterThanOrEqualTo(Duration.ofSeconds(6));
        assertThat(f.serverOf("web-1")).isNotEqualTo("dl-1");
        assertThat(f.alarm(AlarmType.FENCE_FAILED, "dl-1")).isEmpty();
    }
}
