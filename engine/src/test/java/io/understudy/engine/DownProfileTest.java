package io.understudy.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.understudy.sim.Fault;
import io.understudy.sim.SimTimings;
import io.understudy.state.AlarmType;
import io.understudy.state.Job;
import io.understudy.state.JobBudget;
import io.understudy.state.JobType;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A profile a failed job left down (confirmed clear of every server) runs again once its home does. */
class DownProfileTest {

    /** Fails db-2's failover at activate (its only spare loses power), leaving it down; returns that job. */
    private static Job failedFailover(SimFixture f) {
        f.fail("bl-s2", Fault.POWER_LOSS);
        f.run(Duration.ofSeconds(20));
        f.fail("bl-2", Fault.HANG);
        assertThat(f.runUntil(() -> f.jobs().stream().anyMatch(j -> "db-2".equals(j.profile()) && j.stepDone("move-profile")), Duration.ofMinutes(2))).isTrue();
        Job job = f.jobs().stream().filter(j -> "db-2".equals(j.profile())).findFirst().orElseThrow();
        f.fail(job.target(), Fault.POWER_LOSS);
        assertThat(f.runUntil(() -> !f.job(job.id()).active(), Duration.ofMinutes(12))).isTrue();
        assertThat(f.job(job.id()).status()).isEqualTo(Job.Status.FAILED);
        assertThat(f.serverOf("db-2")).isNull();
        return job;
    }

    /**
     * Found by the fault campaign with a boot order (seed 4596368009017625401): a failover failed at activate on a
     * spare that hung, the profile was recorded down, and after every server was repaired it stayed down — its group
     * falls back by hand, and nothing else started a profile that runs nowhere.
     */
    @Test
    void profileLeftDownByAFailedFailover_stayedDownAfterItsHomeWasRepaired() {
        SimFixture f = new SimFixture().settled();
        Job failed = failedFailover(f);
        f.sim.repair("bl-2");
        f.sim.repair(failed.target());
        f.sim.repair("bl-s2");
        assertThat(f.runUntil(() -> "bl-2".equals(f.serverOf("db-2")) && f.read(s -> s.profile("db-2").activeJob()) == null, Duration.ofMinutes(5))).isTrue();
        assertThat(f.sim.holders("db-2")).containsExactly("bl-2");
        Job recovery = f.jobs().stream().filter(j -> j.id() != failed.id() && "db-2".equals(j.profile())).findFirst().orElseThrow();
        assertThat(recovery.type()).isEqualTo(JobType.FALLBACK);
        assertThat(recovery.startedBy()).isEqualTo(JobBudget.RECOVERY);
        assertThat(recovery.status()).isEqualTo(Job.Status.SUCCEEDED);
        assertThat(f.alarm(AlarmType.PROFILE_DOWN, "db-2")).isEmpty();
    }

    /**
     * The same failed failover left its spare recorded "booting" (powered on by the job) after the spare lost power:
     * repaired, it came on, was powered off as an idle cold spare found running, and stayed "booting" in the state —
     * ordered off twice more and alarmed {@code cold-spare-running} while it stood off.
     */
    @Test
    void spareLeftBootingByAFailedJob_wasOrderedOffAgainAndAgainWhileOff() {
        SimFixture f = new SimFixture().settled();
        Job failed = failedFailover(f);
        String spare = failed.target();
        f.sim.repair(spare);
        assertThat(f.runUntil(() -> f.stateOf(spare) == io.understudy.model.ServerState.OFF, Duration.ofMinutes(2))).isTrue();
        f.run(Duration.ofMinutes(5));
        long orders = f.engine.decisions().about(spare).stream().filter(d -> d.text().contains("found running: powered off")).count();
        assertThat(orders).isEqualTo(1);
        assertThat(f.alarm(AlarmType.COLD_SPARE_RUNNING, spare)).isEmpty();
        assertThat(f.stateOf(spare)).isEqualTo(io.understudy.model.ServerState.OFF);
    }

    /**
     * Home runs but its workload will not start there: each recovery fails, the next one waits the doubled back-off,
     * and after the group's retryLimit (3) failures no more are created; {@code automatic-jobs-held} says why.
     */
    @Test
    void recoveryFailingAtHome_backsOffAndStopsAtTheCap() {
        java.util.concurrent.atomic.AtomicBoolean refuse = new java.util.concurrent.atomic.AtomicBoolean();
        SimFixture f = new SimFixture(DataCenters.demo(), SimTimings.FAST, (sim, clock) -> sim, sim -> sim,
                sim -> new RefusingWorkload(sim).refuseStart(s -> refuse.get() && s.equals("bl-2"), "disk full")).settled();
        Job failed = failedFailover(f);
        refuse.set(true);
        f.sim.repair("bl-2");
        f.run(Duration.ofHours(1));

        List<Job> recoveries = f.jobs().stream().filter(j -> j.id() != failed.id()).toList();
        assertThat(recoveries).hasSize(3).allSatisfy(j -> {
            assertThat(j.startedBy()).isEqualTo(JobBudget.RECOVERY);
            assertThat(j.status()).isEqualTo(Job.Status.FAILED);
        });
        // Each one waited longer after the failure before it than the one before (30 s, then 60 s).
        Duration first = Duration.between(recoveries.get(0).ended(), recoveries.get(1).created());
        Duration second = Duration.between(recoveries.get(1).ended(), recoveries.get(2).created());
        assertThat(first).isGreaterThanOrEqualTo(Duration.ofSeconds(30));
        assertThat(second).isGreaterThanOrEqualTo(Duration.ofSeconds(60));
        assertThat(f.alarm(AlarmType.AUTOMATIC_JOBS_HELD, "db-2")).isPresent();
        assertThat(f.serverOf("db-2")).isNull();
        assertThat(f.sim.holders("db-2")).isEmpty();
    }
}
