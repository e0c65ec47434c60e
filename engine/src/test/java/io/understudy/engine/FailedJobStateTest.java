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
        return new ProfileSpec(p.id(), p.group(), p.home(), san, p.workload(), p.requirements(), p.priority(), p.fallback(), p.protection(), p.dataDir(), p.after());
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
        java.util.Optional<io.understudy.state.ProfileRecord> onSpare = f.read(s -> s.profileOn(spare));
        assertThat(onSpare).isEmpty();
        boolean freeSpare = f.read(s -> s.view(spare).spare() && s.view(spare).reservedBy() == null);
        assertThat(freeSpare).isTrue();
        assertThat(f.alarm(AlarmType.PROFILE_DOWN, "web-1").map(Alarm::text).orElseThrow())
                .contains("job " + job.id()).contains("failed at activate");
        assertThat(f.alarm(AlarmType.PROFILE_ON_SPARE, "web-1")).isEmpty();
    }

    @Test
    void activateFailing_onAColdSpareThatNeverComesUp_leavesTheProfileRecordedThereUntilFenced() {
        SimFixture f = new SimFixture().settled();
        f.fail("bl-2", Fault.POWER_LOSS);
        assertThat(f.runUntil(() -> !f.jobs().isEmpty() && f.onlyJob().stepDone("move-profile"), Duration.ofMinutes(1))).isTrue();
        String spare = f.onlyJob().target();
        f.fail(spare, Fault.CRASH);   // powered on with db-2's identity at the bay, its OS never answers
        assertThat(f.runUntil(() -> !f.onlyJob().active(), Duration.ofMinutes(12))).isTrue();

        Job job = f.onlyJob();
        assertThat(job.status()).isEqualTo(Job.Status.FAILED);
        assertThat(job.message()).startsWith("activate:").contains("power-off ordered");
        // Ordered, not yet read off: db-2 stays recorded on the spare until a fence of the spare confirms it off.
        assertThat(f.serverOf("db-2")).isEqualTo(spare);
        assertThat(f.alarm(AlarmType.PROFILE_DOWN, "db-2").map(Alarm::text).orElseThrow()).contains("job " + job.id());
        f.run(Duration.ofSeconds(10));
        assertThat(f.sim.holders("db-2")).isEmpty();
    }

    @Test
    void verifyFailing_onAHotSpare_leavesTheProfileRecordedThere_andTheSpareWithoutTheIdentity() throws Exception {
        var dc = DataCenters.withPolicy(DataCenters.demo(), "hot", p -> DataCenters.policy(p).verify(Duration.ofSeconds(5), 1).build());
        SimFixture f = new SimFixture(dc, SimTimings.FAST).settled();
        f.fail("dl-2", Fault.CRASH);
        assertThat(f.runUntil(() -> !f.jobs().isEmpty() && f.onlyJob().stepDone("activate"), Duration.ofSeconds(30))).isTrue();
        Job running = f.onlyJob();
        // The workload never answers on the spare (it stops as soon as started).
        String spare = running.target();
        f.sim.stop(spare, f.config.profile("web-2").orElseThrow(), io.understudy.drivers.CallContext.probe(f.store.term()));
        f.fail(spare, Fault.HANG);
        assertThat(f.runUntil(() -> !f.onlyJob().active(), Duration.ofMinutes(1))).isTrue();

        Job job = f.onlyJob();
        assertThat(job.status()).as(job.message()).isEqualTo(Job.Status.FAILED);
        assertThat(job.message()).startsWith("verify:");
        // The hung spare could not confirm it dropped web-2, and its power-off was only ordered: web-2 stays recorded
        // there, not down, until a fence of the spare confirms it off.
        assertThat(f.serverOf("web-2")).isEqualTo(spare);
        assertThat(f.alarm(AlarmType.PROFILE_DOWN, "web-2").map(Alarm::text).orElseThrow()).contains("job " + job.id());
        f.run(Duration.ofSeconds(10));
        assertThat(f.sim.holders("web-2")).isEmpty();
    }

    /**
     * A job failing at verify on a hot spare that neither gives the identity up (its agent hangs) nor powers off (its
     * BMC accepts orders and does nothing) recorded the profile down: the state said web-2 ran nowhere while the spare
     * still answered for it, so an operator's failover or a fallback could have started it a second time. The profile
     * now stays recorded on the spare, with the alarm saying why.
     */
    @Test
    void failedJobRecordedTheProfileDownWhileTheTargetStillHeldIt() throws Exception {
        var dc = DataCenters.withPolicy(DataCenters.demo(), "hot", p -> DataCenters.policy(p).verify(Duration.ofSeconds(5), 1).build());
        SimFixture f = new SimFixture(dc, SimTimings.FAST).settled();
        f.fail("dl-2", Fault.CRASH);
        assertThat(f.runUntil(() -> !f.jobs().isEmpty() && f.onlyJob().stepDone("activate"), Duration.ofSeconds(30))).isTrue();
        String spare = f.onlyJob().target();
        f.sim.stop(spare, f.config.profile("web-2").orElseThrow(), io.understudy.drivers.CallContext.probe(f.store.term()));
        f.fail(spare, Fault.STUCK_POWER);
        f.fail(spare, Fault.HANG);
        assertThat(f.runUntil(() -> !f.jobs().get(0).active(), Duration.ofMinutes(1))).isTrue();

        Job job = f.jobs().get(0);
        assertThat(job.status()).as(job.message()).isEqualTo(Job.Status.FAILED);
        assertThat(job.message()).startsWith("verify:").contains("not yet read off");
        assertThat(f.sim.holders("web-2")).containsExactly(spare);
        assertThat(f.serverOf("web-2")).isEqualTo(spare);
        assertThat(f.alarm(AlarmType.PROFILE_DOWN, "web-2").map(Alarm::text).orElseThrow())
                .contains("job " + job.id()).contains(spare + " may still hold its identity");
        // Whatever runs next (the spare's own failure is detected; its fence cannot be confirmed), web-2 is never
        // started on a second server: runUntil fails on any split brain.
        f.run(Duration.ofMinutes(3));
        assertThat(f.sim.holders("web-2")).containsExactly(spare);
    }
}
