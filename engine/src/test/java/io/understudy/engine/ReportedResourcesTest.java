package io.understudy.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.understudy.model.Resources;
import io.understudy.sim.Fault;
import io.understudy.state.Alarm;
import io.understudy.state.AlarmType;
import io.understudy.state.Job;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * Issue 11 (last item): the resources agents report were kept in a map on each node and never used, so a spare
 * reporting less than its configuration could be chosen. The demo's hot profiles need DL360s with 16 cores; its
 * spares are configured with 24.
 */
class ReportedResourcesTest {
    static final Resources EIGHT_CORES = new Resources("DL360", 8, 192);

    @Test
    void spareReportingFewerCoresThanProfileNeeds_wasChosen() {
        SimFixture f = new SimFixture();
        f.sim.reportResources("dl-s1", EIGHT_CORES);
        f.settled();
        f.fail("dl-1", Fault.CRASH);
        assertThat(f.runUntil(() -> !f.jobs().isEmpty() && !f.onlyJob().active(), Duration.ofSeconds(30))).isTrue();

        Job job = f.onlyJob();
        assertThat(job.status()).as(job.message()).isEqualTo(Job.Status.SUCCEEDED);
        assertThat(job.target()).isEqualTo("dl-s2");
        assertThat(f.serverOf("web-1")).isEqualTo("dl-s2");
        assertThat(f.<Resources>read(s -> s.server("dl-s1").reported())).isEqualTo(EIGHT_CORES);
        assertThat(f.<Long>read(s -> s.server("dl-s1").reservedBy())).isNull();
    }

    @Test
    void spareReportingLess_raisesResourcesMismatch_clearedWhenItReportsItsConfigurationAgain() {
        SimFixture f = new SimFixture();
        f.sim.reportResources("dl-s2", new Resources("DL360", 8, 96));
        f.settled();
        Alarm a = f.alarm(AlarmType.RESOURCES_MISMATCH, "dl-s2").orElseThrow();
        assertThat(a.text()).contains("dl-s2").contains("8 cores, not 24").contains("96 GiB, not 192");
        assertThat(f.alarm(AlarmType.RESOURCES_MISMATCH, "dl-s1")).isEmpty();

        f.sim.reportResources("dl-s2", null);
        f.run(Duration.ofSeconds(3));
        assertThat(f.alarm(AlarmType.RESOURCES_MISMATCH, "dl-s2")).isEmpty();
        assertThat(f.<Resources>read(s -> s.server("dl-s2").reported())).isEqualTo(new Resources("DL360", 24, 192));
    }

    @Test
    void spareReportingAnotherModel_raisesResourcesMismatch_andIsNotChosen() {
        SimFixture f = new SimFixture();
        f.sim.reportResources("dl-s1", new Resources("DL380", 24, 192));
        f.settled();
        assertThat(f.alarm(AlarmType.RESOURCES_MISMATCH, "dl-s1").orElseThrow().text()).contains("model DL380, not DL360");
        f.fail("dl-1", Fault.CRASH);
        assertThat(f.runUntil(() -> !f.jobs().isEmpty() && !f.onlyJob().active(), Duration.ofSeconds(30))).isTrue();
        assertThat(f.onlyJob().target()).isEqualTo("dl-s2");
    }

    @Test
    void capacitySaidOkWithASpareReportingFewerCores() {
        SimFixture f = new SimFixture();
        f.settled();
        assertThat(f.alarm(AlarmType.SPARE_POOL_INSUFFICIENT, "hot")).as("two fitting spares for two anticipated failures").isEmpty();

        f.sim.reportResources("dl-s1", EIGHT_CORES);
        f.run(Duration.ofSeconds(3));
        assertThat(f.alarm(AlarmType.SPARE_POOL_INSUFFICIENT, "hot").orElseThrow().text())
                .contains("would find no fitting spare");

        f.sim.reportResources("dl-s1", null);
        f.run(Duration.ofSeconds(3));
        assertThat(f.alarm(AlarmType.SPARE_POOL_INSUFFICIENT, "hot")).isEmpty();
    }

    @Test
    void reportedResources_areWrittenOnceWhenTheyChange_notPerHeartbeat() {
        SimFixture f = new SimFixture();
        f.sim.reportResources("dl-s1", EIGHT_CORES);
        f.settled();
        long applied = f.read(s -> s.appliedIndex());
        f.run(Duration.ofSeconds(20));   // a hundred heartbeats of each hot server
        assertThat(f.<Long>read(s -> s.appliedIndex())).as("no write while nothing changes").isEqualTo(applied);
        assertThat(f.engine.decisions().recent()).filteredOn(d -> d.text().startsWith("resources reported by the agent of dl-s1"))
                .singleElement().satisfies(d -> assertThat(d.repeats()).isZero());
    }
}
