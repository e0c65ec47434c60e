package io.understudy.state;

import static io.understudy.state.Fixtures.T0;
import static org.assertj.core.api.Assertions.assertThat;

import io.understudy.model.Resources;
import io.understudy.model.config.DataCenterConfig;
import io.understudy.model.config.ProfileSpec;
import io.understudy.model.config.Requirements;
import io.understudy.state.command.ApplyConfig;
import io.understudy.state.command.CreateJob;
import io.understudy.state.command.ReportResources;
import io.understudy.state.command.ReserveSpare;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What agents report is recorded and counts: the reservation guard and the resources-mismatch alarm follow it. */
class ReportedResourcesTest {
    final StateMachine m = new StateMachine();
    long index;

    Result apply(io.understudy.state.command.Command c) {
        return m.apply(c, index++);
    }

    java.util.Optional<Alarm> mismatch(String server) {
        return m.read(s -> s.openAlarm(AlarmType.RESOURCES_MISMATCH, server));
    }

    /** Fixtures' data center, web needing what every server is configured with (bl460c, 16 cores, 64 GiB). */
    static DataCenterConfig needingFullSize() {
        DataCenterConfig dc = Fixtures.dataCenter();
        return new DataCenterConfig(dc.name(), dc.enclosures(), dc.servers(), dc.groups(), dc.profiles().stream()
                .map(p -> !p.id().equals("web") ? p : new ProfileSpec(p.id(), p.group(), p.home(), p.identity(), p.workload(),
                        new Requirements("bl460c", 16, 64), p.priority(), p.fallback(), p.protection(), p.dataDir()))
                .toList());
    }

    @BeforeEach
    void configure() {
        assertThat(apply(new ApplyConfig(needingFullSize(), "test", T0)).ok()).isTrue();
    }

    @Test
    void reserveSpare_whoseRecordedResourcesDoNotFit_isRefused() {
        assertThat(apply(new ReportResources("s3", new Resources("bl460c", 8, 64), T0)).ok()).isTrue();
        long j = apply(new CreateJob(JobType.FAILOVER, "web", "s1", "test", "why", T0)).job();
        Result r = apply(new ReserveSpare(j, "s3", null, "test", T0));
        assertThat(r.ok()).isFalse();
        assertThat(r.message()).isEqualTo("s3 does not fit web: 8 cores < 16 required (as its agent reports)");
        assertThat(m.<Long>read(s -> s.server("s3").reservedBy())).isNull();
    }

    @Test
    void reserveSpare_reportingItsConfiguration_isAccepted() {
        assertThat(apply(new ReportResources("s3", new Resources("bl460c", 16, 64), T0)).ok()).isTrue();
        long j = apply(new CreateJob(JobType.FAILOVER, "web", "s1", "test", "why", T0)).job();
        assertThat(apply(new ReserveSpare(j, "s3", null, "test", T0)).ok()).isTrue();
    }

    @Test
    void reportResources_lessThanConfigured_raisesResourcesMismatch_clearedWhenItMatchesAgain() {
        apply(new ReportResources("s3", new Resources("bl460c", 8, 32), T0));
        Alarm a = mismatch("s3").orElseThrow();
        assertThat(a.text()).isEqualTo("server s3's agent reports other resources than configured: 8 cores, not 16; 32 GiB, not 64;"
                + " it is judged by what it reports");

        apply(new ReportResources("s3", new Resources("bl460c", 16, 64), T0.plusSeconds(60)));
        assertThat(mismatch("s3")).isEmpty();
        assertThat(m.<java.time.Instant>read(s -> s.alarms().stream().filter(x -> x.type() == AlarmType.RESOURCES_MISMATCH).findFirst().orElseThrow().cleared()))
                .isEqualTo(T0.plusSeconds(60));
    }

    @Test
    void reportResources_anotherModel_raisesResourcesMismatch() {
        apply(new ReportResources("s2", new Resources("dl360", 16, 64), T0));
        assertThat(mismatch("s2").orElseThrow().text()).contains("model dl360, not bl460c");
    }

    @Test
    void reportResources_sameAsRecorded_changesNothing() {
        apply(new ReportResources("s3", new Resources("bl460c", 8, 64), T0));
        var before = m.snapshot();
        Result again = apply(new ReportResources("s3", new Resources("bl460c", 8, 64), T0.plusSeconds(1)));
        assertThat(again.message()).isEqualTo("unchanged");
        assertThat(Fixtures.withoutIndex(m.snapshot())).isEqualTo(Fixtures.withoutIndex(before));
    }

    @Test
    void applyConfig_loweringTheConfiguredResources_clearsTheMismatch() {
        apply(new ReportResources("s3", new Resources("bl460c", 8, 64), T0));
        DataCenterConfig dc = needingFullSize();
        DataCenterConfig smaller = new DataCenterConfig(dc.name(), dc.enclosures(), dc.servers().stream()
                .map(s -> !s.id().equals("s3") ? s : new io.understudy.model.config.ServerSpec(s.id(), s.location(), s.hostname(),
                        s.address(), s.model(), s.generation(), 8, s.memoryGib(), s.bmc(), s.agent()))
                .toList(), dc.groups(), dc.profiles());
        assertThat(apply(new ApplyConfig(smaller, "test", T0.plusSeconds(5))).ok()).isTrue();
        assertThat(mismatch("s3")).isEmpty();
    }
}
