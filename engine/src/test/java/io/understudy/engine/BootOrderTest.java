package io.understudy.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.understudy.model.config.DataCenterConfig;
import io.understudy.model.config.EventHandling;
import io.understudy.sim.Fault;
import io.understudy.sim.HardwareEvent;
import io.understudy.sim.SimTimings;
import io.understudy.state.AlarmType;
import io.understudy.state.Job;
import io.understudy.state.JobType;
import io.understudy.state.Step;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Ordered boot (seed 000): a profile's workload starts only once every profile of its {@code after} runs. */
class BootOrderTest {

    /** When the simulator's hardware first saw each profile's workload start after {@code from}. */
    private static Optional<Instant> started(SimFixture f, String profile, Instant from) {
        return f.sim.hardwareLog().events().stream()
                .filter(e -> e.kind().equals(HardwareEvent.WORKLOAD_ON) && profile.equals(e.profile()) && !e.at().isBefore(from))
                .map(HardwareEvent::at).findFirst();
    }

    private static DataCenterConfig chain(DataCenterConfig dc, Map<String, List<String>> after) {
        for (var e : after.entrySet()) dc = DataCenters.withProfile(dc, e.getKey(), p -> p.withAfter(e.getValue()));
        return dc;
    }

    @Test
    void failoverOfTwoHotProfiles_theBetterPriorityFollowsTheOther_waitsInItsBootOrderStep_andStartsSecond() {
        // web-1 (priority 11) gets the first spare, but starts after web-2 (priority 12).
        SimFixture f = new SimFixture(chain(DataCenters.demo(), Map.of("web-1", List.of("web-2"))), SimTimings.FAST).settled();
        Instant from = f.clock.now();
        f.fail("dl-1", Fault.POWER_LOSS);
        f.fail("dl-2", Fault.POWER_LOSS);
        List<String> said = new ArrayList<>();
        assertThat(f.runUntil(() -> {
            // What the job says while it waits (its progress, shown by the API beside the running step).
            f.jobs().stream().filter(j -> j.profile().equals("web-1") && j.active())
                    .filter(j -> j.steps().stream().anyMatch(s -> s.name().equals(JobType.BOOT_ORDER) && s.status() == Step.Status.RUNNING))
                    .map(j -> f.engine.jobs().progress(j.id())).filter(java.util.Objects::nonNull).forEach(said::add);
            return f.jobs().size() == 2 && f.jobs().stream().noneMatch(Job::active);
        }, Duration.ofMinutes(2))).isTrue();

        Job web1 = f.jobs().stream().filter(j -> j.profile().equals("web-1")).findFirst().orElseThrow();
        Job web2 = f.jobs().stream().filter(j -> j.profile().equals("web-2")).findFirst().orElseThrow();
        assertThat(web1.status()).isEqualTo(Job.Status.SUCCEEDED);
        assertThat(web2.status()).isEqualTo(Job.Status.SUCCEEDED);
        assertThat(web1.steps().stream().map(Step::name)).containsSubsequence("move-profile", JobType.BOOT_ORDER, "activate");
        assertThat(web2.steps().stream().map(Step::name)).doesNotContain(JobType.BOOT_ORDER);
        assertThat(said).anySatisfy(m -> assertThat(m).startsWith("waiting for web-2"));
        assertThat(started(f, "web-1", from).orElseThrow()).isAfter(started(f, "web-2", from).orElseThrow());
    }

    @Test
    void enclosurePowersUpWithAChain_theWorkloadsStartInTheDeclaredOrder_notInPriorityOrder() {
        // db-1 after db-2 after db-3: the reverse of their priorities. Alert only: nothing fails over, the enclosure
        // comes back as it was (a mass recovery), and db-4, which follows none, starts with its server's boot.
        DataCenterConfig dc = DataCenters.withPolicy(chain(DataCenters.demo(), Map.of("db-1", List.of("db-2"), "db-2", List.of("db-3"))),
                "cold", p -> DataCenters.policy(p).events(EventHandling.ALERT_ONLY).build());
        SimFixture f = new SimFixture(dc, SimTimings.FAST).settled();
        List<String> enc1 = List.of("bl-1", "bl-2", "bl-3", "bl-4", "bl-s1", "dl-s2");
        enc1.forEach(s -> f.fail(s, Fault.POWER_LOSS));
        f.run(Duration.ofSeconds(10));
        Instant back = f.clock.now();
        enc1.forEach(f.sim::repair);

        assertThat(f.runUntil(() -> List.of("db-1", "db-2", "db-3", "db-4").stream().allMatch(p -> started(f, p, back).isPresent()),
                Duration.ofMinutes(3))).isTrue();
        Instant db1 = started(f, "db-1", back).orElseThrow();
        Instant db2 = started(f, "db-2", back).orElseThrow();
        Instant db3 = started(f, "db-3", back).orElseThrow();
        assertThat(db3).isBefore(db2);
        assertThat(db2).isBefore(db1);
        assertThat(started(f, "db-4", back).orElseThrow()).isBefore(db2);
        assertThat(f.alarm(AlarmType.BOOT_ORDER_WAITING, "db-1")).isEmpty();
        assertThat(f.engine.decisions().about("db-1")).anySatisfy(d -> assertThat(d.text()).contains("waiting for db-2"));
    }

    @Test
    void dependencyThatStaysDown_itsFollowerWaitsPastTheBootTimeout_withAnAlarm_andStartsOnceItRuns() {
        DataCenterConfig dc = DataCenters.withPolicy(chain(DataCenters.demo(), Map.of("db-1", List.of("db-2"))),
                "cold", p -> DataCenters.policy(p).events(EventHandling.ALERT_ONLY).boot(Duration.ofMinutes(1)).build());
        SimFixture f = new SimFixture(dc, SimTimings.FAST).settled();
        f.fail("bl-1", Fault.POWER_LOSS);
        f.fail("bl-2", Fault.POWER_LOSS);
        f.run(Duration.ofSeconds(10));
        Instant back = f.clock.now();
        f.sim.repair("bl-1");   // db-2's server stays down
        assertThat(f.runUntil(() -> f.alarm(AlarmType.BOOT_ORDER_WAITING, "db-1").isPresent(), Duration.ofMinutes(3))).isTrue();
        assertThat(f.alarm(AlarmType.BOOT_ORDER_WAITING, "db-1").orElseThrow().text()).contains("waiting for db-2 (its server bl-2 is failed)");
        assertThat(started(f, "db-1", back)).isEmpty();

        f.sim.repair("bl-2");
        assertThat(f.runUntil(() -> started(f, "db-1", back).isPresent(), Duration.ofMinutes(3))).isTrue();
        assertThat(started(f, "db-1", back).orElseThrow()).isAfter(started(f, "db-2", back).orElseThrow());
        assertThat(f.runUntil(() -> f.alarm(AlarmType.BOOT_ORDER_WAITING, "db-1").isEmpty(), Duration.ofSeconds(10))).isTrue();
    }
}
