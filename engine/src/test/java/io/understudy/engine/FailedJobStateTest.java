package io.understudy.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.understudy.model.config.FcPort;
import io.understudy.model.config.Identity;
import io.understudy.model.config.ProfileSpec;
import io.understudy.sim.Fault;
import io.understudy.sim.SimTimings;
import io.understudy.state.Alarm;
import io.understudy.state.AlarmType;
import io.understudy.state.Job;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Issue 11, item 2: after a job fails past move-profile, the state says where the profile really is. */
class FailedJobStateTest {

    private static ProfileSpec bootFromSan(ProfileSpec p) {
        Identity i = p.identity();
        Identity san = new Identity(i.hostname(), i.addresses(), i.macs(),
                List.of(new FcPort("fc0", "50:01:43:80:01:00:00:09", "50:01:43:80:02:00:00:09", true)));
        return new ProfileSpec(p.id(), p.group(), p.home(), san, p.workload(), p.requirements(), p.priority(), p.fallback(), p.protection(), p.dataDir());
    }

    @Test
    void refusedActivation_leftTheSpareRunningAProfileNothingRuns() {
        var dc = DataCenters.withProfile(DataCenters.demo(), "web-1", FailedJobStateTest::bootFromSan);
        SimFixture f = new SimFixture(dc, SimTimings.FAST).settled();
        f.fail("dl-1", Fault.CRASH);
        assertThat(f.runUntil(() -> !f.jobs().isEmpty() && !f.onlyJob().active(), Duration.ofSeconds(60))).isTrue();

        Job job = f.onlyJob();
        assertThat(job.status()).isEqualTo(Job.Status.FAILED);
        assertThat(job.message()).startsWith("activate:").contains("boot-from-SAN");
        String spare = job.target();
        assertThat(f.sim.holders("web-1")).isEmpty();
        // The state agrees with the hardware: web-1 runs nowhere, the spare holds no profile and is free again.
        assertThat(f.serverOf("web-1")).isNull();
        assertThat(f.read(s -> s.profileOn(spare))).isEmpty();
        assertThat(f.read(s -> s.view(spare).spare() && s.view(spare).reservedBy() == null)).isTrue();
        assertThat(f.alarm(AlarmType.PROFILE_DOWN, "web-1").map(Alarm::text).orElseThrow())
                .contains("job " + job.id()).contains("failed at activate");
        assertThat(f.alarm(AlarmType.PROFILE_ON_SPARE, "web-1")).isEmpty();
    }

    @Test
    void verifyFailing_afterAColdBoot_leavesTheProfileDown_andTheSpareWithoutTheIdentity() {
        var dc = DataCenters.withPolicy(DataCenters.demo(), "cold", p -> DataCenters.policy(p).verify(Duration.ofSeconds(5), 1).build());
        SimFixture f = new SimFixture(dc, SimTimings.FAST).settled();
        f.fail("bl-2", Fault.POWER_LOSS);
        // The spare boots with db-2's identity, then its OS hangs before the workload answers.
        assertThat(f.runUntil(() -> !f.jobs().isEmpty() && f.onlyJob().stepDone("activate"), Duration.ofMinutes(3))).isTrue();
        String spare = f.onlyJob().target();
        f.fail(spare, Fault.CRASH);
        assertThat(f.runUntil(() -> !f.onlyJob().active(), Duration.ofMinutes(2))).isTrue();

        Job job = f.onlyJob();
        assertThat(job.status()).isEqualTo(Job.Status.FAILED);
        assertThat(job.message()).startsWith("verify:");
        assertThat(f.serverOf("db-2")).isNull();
        assertThat(f.alarm(AlarmType.PROFILE_DOWN, "db-2").map(Alarm::text).orElseThrow()).contains("job " + job.id());
        assertThat(f.sim.holders("db-2")).isEmpty();
    }
}
