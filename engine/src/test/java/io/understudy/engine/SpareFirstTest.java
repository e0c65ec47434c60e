package io.understudy.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.understudy.model.ServerState;
import io.understudy.sim.Fault;
import io.understudy.sim.SimTimings;
import io.understudy.state.Alarm;
import io.understudy.state.AlarmType;
import io.understudy.state.Job;
import io.understudy.state.Step;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Issue 11, item 1: a spare is reserved before the fence; a server nothing can replace is not powered off. */
class SpareFirstTest {

    private static Step step(Job j, String name) {
        return j.steps().get(j.stepIndex(name));
    }

    /** Both hot spares out of order (crashed): nothing qualifies for a hot profile. */
    private static SimFixture noHotSpare() {
        SimFixture f = new SimFixture().settled();
        f.fail("dl-s1", Fault.CRASH);
        f.fail("dl-s2", Fault.CRASH);
        f.run(Duration.ofSeconds(5));
        assertThat(f.stateOf("dl-s1")).isEqualTo(ServerState.FAILED);
        assertThat(f.stateOf("dl-s2")).isEqualTo(ServerState.FAILED);
        return f;
    }

    @Test
    void fencePoweredOffAServerNoSpareCouldReplace() {
        SimFixture f = noHotSpare();
        f.fail("dl-1", Fault.HANG);   // only hung: power on, maybe it comes back
        assertThat(f.runUntil(() -> !f.jobs().isEmpty() && step(f.onlyJob(), "select-spare").status() == Step.Status.RUNNING,
                Duration.ofSeconds(30))).isTrue();
        f.run(Duration.ofSeconds(60));

        Job job = f.onlyJob();
        assertThat(job.active()).as(job.message()).isTrue();
        assertThat(step(job, "fence").status()).isEqualTo(Step.Status.PENDING);
        assertThat(f.sim.view("dl-1").state()).as("not powered off").isNotEqualTo("off");
        assertThat(f.stateOf("dl-1")).isEqualTo(ServerState.FAILED);
        assertThat(f.alarm(AlarmType.PROFILE_AT_RISK, "web-1").map(Alarm::text).orElseThrow())
                .contains("dl-1 is not fenced").contains("dl-s1: not present (failed)").contains("dl-s2: not present (failed)");
        assertThat(f.alarm(AlarmType.FAILOVER_FAILED, "web-1")).isEmpty();

        // A spare qualifies again: the same job (no second one) reserves it, fences dl-1 and moves web-1.
        f.sim.repair("dl-s1");
        assertThat(f.runUntil(() -> !f.onlyJob().active(), Duration.ofSeconds(60))).isTrue();
        job = f.onlyJob();
        assertThat(job.status()).as(job.message()).isEqualTo(Job.Status.SUCCEEDED);
        assertThat(job.target()).isEqualTo("dl-s1");
        assertThat(step(job, "select-spare").ended()).isBeforeOrEqualTo(step(job, "fence").started());
        assertThat(f.sim.holders("web-1")).containsExactly("dl-s1");
        assertThat(f.sim.view("dl-1").state()).isEqualTo("off");
        assertThat(f.alarm(AlarmType.PROFILE_AT_RISK, "web-1")).isEmpty();
    }

    @Test
    void waitingForASpare_sourceComesBack_jobEndsWithoutFenceOrAlarm() {
        SimFixture f = noHotSpare();
        f.fail("dl-2", Fault.HANG);
        assertThat(f.runUntil(() -> f.alarm(AlarmType.PROFILE_AT_RISK, "web-2").isPresent(), Duration.ofSeconds(30))).isTrue();
        f.sim.repair("dl-2");   // it was only hung: it reboots and heartbeats again
        assertThat(f.runUntil(() -> !f.onlyJob().active(), Duration.ofSeconds(60))).isTrue();

        Job job = f.onlyJob();
        assertThat(job.status()).isEqualTo(Job.Status.FAILED);
        assertThat(job.message()).contains("recovered").contains("nothing was fenced or moved");
        assertThat(step(job, "fence").status()).isEqualTo(Step.Status.PENDING);
        assertThat(f.stateOf("dl-2")).isEqualTo(ServerState.RUNNING);
        assertThat(f.serverOf("web-2")).isEqualTo("dl-2");
        assertThat(f.alarm(AlarmType.PROFILE_AT_RISK, "web-2")).isEmpty();
        assertThat(f.alarm(AlarmType.FAILOVER_FAILED, "web-2")).isEmpty();
        f.run(Duration.ofSeconds(30));
        assertThat(f.jobs()).hasSize(1);
    }

    @Test
    void fenceFirst_keepsVcemOrder_andStillWaitsForASpareOnceFenced() {
        var dc = DataCenters.withPolicy(DataCenters.demo(), "hot", p -> p.withFenceFirst(true));
        SimFixture f = new SimFixture(dc, SimTimings.FAST).settled();
        f.fail("dl-s1", Fault.CRASH);
        f.fail("dl-s2", Fault.CRASH);
        f.run(Duration.ofSeconds(5));
        f.fail("dl-1", Fault.CRASH);
        assertThat(f.runUntil(() -> f.alarm(AlarmType.PROFILE_AT_RISK, "web-1").isPresent(), Duration.ofSeconds(30))).isTrue();
        Job job = f.onlyJob();
        assertThat(job.steps()).extracting(Step::name).containsExactly("check-group", "identify-source", "fence",
                "select-spare", "move-profile", "activate", "verify", "release");
        assertThat(step(job, "fence").status()).isEqualTo(Step.Status.DONE);
        assertThat(f.alarm(AlarmType.PROFILE_AT_RISK, "web-1").map(Alarm::text).orElseThrow()).contains("dl-1 is fenced");
        f.sim.repair("dl-s2");
        assertThat(f.runUntil(() -> !f.onlyJob().active(), Duration.ofSeconds(60))).isTrue();
        assertThat(f.onlyJob().status()).as(f.onlyJob().message()).isEqualTo(Job.Status.SUCCEEDED);
        assertThat(f.sim.holders("web-1")).containsExactly("dl-s2");
    }
}
