package io.understudy.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.understudy.model.config.FallbackMode;
import io.understudy.sim.Fault;
import io.understudy.sim.SimTimings;
import io.understudy.state.Alarm;
import io.understudy.state.AlarmType;
import io.understudy.state.Job;
import io.understudy.state.JobType;
import io.understudy.state.command.SetMaintenance;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Invariant 6 on the driven clock: no automatic job is created again and again for one cause. */
class AutomaticJobsTest {

    private static List<Job> fallbacks(SimFixture f) {
        return f.jobs().stream().filter(j -> j.type() == JobType.FALLBACK).toList();
    }

    private static boolean allEnded(SimFixture f) {
        return f.jobs().stream().noneMatch(Job::active);
    }

    /** Found on a fresh demo: 91 fallback jobs in 12 s, each failing at "check-group: group hot is in maintenance". */
    @Test
    void fallbackFloodWhileGroupInMaintenance() {
        var dc = DataCenters.withPolicy(DataCenters.demo(), "hot",
                p -> DataCenters.policy(p).fallback(Duration.ofSeconds(30), 3, Duration.ofHours(1)).build());
        SimFixture f = new SimFixture(dc, SimTimings.FAST).settled();
        f.fail("dl-1", Fault.CRASH);
        assertThat(f.runUntil(() -> !f.jobs().isEmpty() && allEnded(f), Duration.ofSeconds(30))).isTrue();
        assertThat(f.serverOf("web-1")).isNotEqualTo("dl-1");
        f.store.submit(new SetMaintenance("hot", true, "operator", f.clock.now()));
        f.sim.repair("dl-1");
        f.run(Duration.ofMinutes(5));
        assertThat(fallbacks(f)).as("automatic fallback while the group is in maintenance").isEmpty();

        f.store.submit(new SetMaintenance("hot", false, "operator", f.clock.now()));
        assertThat(f.runUntil(() -> f.serverOf("web-1").equals("dl-1"), Duration.ofMinutes(1))).isTrue();
        assertThat(fallbacks(f)).hasSize(1);
    }

    /**
     * Found with a spare whose power cannot be cut: each automatic fallback failed at release-spare after the fence
     * timeout and was created again at once, and failed fallbacks never counted toward any limit.
     */
    @Test
    void failedFallbackRecreatedAtOnce() {
        var dc = DataCenters.withPolicy(DataCenters.demo(), "cold",
                p -> DataCenters.policy(p).fallback(Duration.ofSeconds(10), 3, Duration.ofHours(24))
                        .retries(Duration.ofSeconds(30), 3, Duration.ofHours(1)).build());
        dc = DataCenters.withProfile(dc, "db-1", p -> DataCenters.fallback(p, FallbackMode.AUTOMATIC));
        SimFixture f = new SimFixture(dc, SimTimings.FAST).settled();
        f.fail("bl-1", Fault.CRASH);
        assertThat(f.runUntil(() -> !f.jobs().isEmpty() && allEnded(f), Duration.ofMinutes(2))).isTrue();
        String spare = f.serverOf("db-1");
        assertThat(spare).isNotNull().isNotEqualTo("bl-1");
        f.fail(spare, Fault.STUCK_POWER);
        f.sim.repair("bl-1");

        f.run(Duration.ofMinutes(30));
        List<Job> tried = fallbacks(f);
        assertThat(tried).as("automatic fallbacks in 30 min").hasSize(3).allMatch(j -> j.status() == Job.Status.FAILED);
        // Each waited out the back-off after the one before: 30 s, then 60 s.
        assertThat(Duration.between(tried.get(0).ended(), tried.get(1).created())).isGreaterThanOrEqualTo(Duration.ofSeconds(30));
        assertThat(Duration.between(tried.get(1).ended(), tried.get(2).created())).isGreaterThanOrEqualTo(Duration.ofSeconds(60));
        Alarm held = f.alarm(AlarmType.AUTOMATIC_JOBS_HELD, "db-1").orElseThrow();
        assertThat(held.text()).contains("3 automatic fallback jobs of db-1 failed").contains("job " + tried.get(2).id());

        // An operator acts: the cap is lifted and the alarm clears, whatever that job does.
        f.sim.repair(spare);
        var r = f.engine.operations().fallback("db-1", "operator alice");
        assertThat(r.ok()).as(r.message()).isTrue();
        assertThat(f.runUntil(() -> allEnded(f), Duration.ofMinutes(5))).isTrue();
        f.run(Duration.ofSeconds(1));
        assertThat(f.alarm(AlarmType.AUTOMATIC_JOBS_HELD, "db-1")).isEmpty();
    }
}
