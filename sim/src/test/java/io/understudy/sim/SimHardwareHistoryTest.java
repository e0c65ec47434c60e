package io.understudy.sim;

import static org.assertj.core.api.Assertions.assertThat;

import io.understudy.drivers.CallContext;
import io.understudy.model.config.DataCenterConfig;
import io.understudy.model.config.ProfileSpec;
import io.understudy.testkit.DrivenScheduler;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The history a real simulated data center writes of itself, and the checker's verdict on it. */
class SimHardwareHistoryTest {
    private final DataCenterConfig config = DemoDataCenter.build(2);
    private final DrivenScheduler clock = new DrivenScheduler();
    private final SimDataCenter sim = new SimDataCenter(config, clock, SimTimings.FAST);
    private final CallContext ctx = CallContext.probe(1);
    private final ProfileSpec web1 = config.profiles().stream().filter(p -> p.id().equals("web-1")).findFirst().orElseThrow();

    private List<HardwareEvent> history() {
        return sim.hardwareLog().events();
    }

    private List<List<String>> holdersOf(String profile) {
        return history().stream().filter(e -> e.kind().equals(HardwareEvent.HOLDERS) && e.profile().equals(profile))
                .map(HardwareEvent::holders).toList();
    }

    private List<HardwareViolation> verdict() {
        return HardwareChecker.check(history(), HardwareChecker.groupsOf(config));
    }

    @Test
    void start_recordsEveryProfileLiveOnItsHome() {
        assertThat(holdersOf("web-1")).containsExactly(List.of("dl-1"));
        assertThat(holdersOf("db-2")).containsExactly(List.of("bl-2"));
        assertThat(history()).anySatisfy(e -> {
            assertThat(e.kind()).isEqualTo(HardwareEvent.IDENTITY_ON);
            assertThat(e.server()).isEqualTo("dl-1");
            assertThat(e.profile()).isEqualTo("web-1");
        });
        assertThat(history()).extracting(HardwareEvent::seq).isSorted().doesNotHaveDuplicates();
    }

    @Test
    void failover_crashThenPowerOffThenAssignOnTheSpare_isRecordedInOrderAndBreaksNothing() throws Exception {
        sim.inject("dl-1", Fault.CRASH);
        clock.advance(Duration.ofSeconds(1));
        sim.powerOff("dl-1", ctx);
        clock.advance(Duration.ofSeconds(1));
        sim.assign("dl-s1", web1, ctx);
        clock.advance(Duration.ofSeconds(1));
        sim.start("dl-s1", web1, ctx);
        clock.advance(Duration.ofSeconds(1));

        assertThat(holdersOf("web-1")).containsExactly(List.of("dl-1"), List.of(), List.of("dl-s1"));
        assertThat(history()).extracting(e -> e.kind() + " " + e.server() + " " + e.detail()).containsSubsequence(
                "fault dl-1 crash", "workload-off dl-1 crash", "power-off dl-1 ordered", "identity-off dl-1 power-off",
                "identity-on dl-s1 assigned", "workload-on dl-s1 started");
        HardwareEvent off = history().stream().filter(e -> e.kind().equals(HardwareEvent.POWER_OFF)).findFirst().orElseThrow();
        assertThat(off.at()).as("stamped with the scheduler's time when the power-off landed")
                .isEqualTo(clock.now().minusSeconds(3).plus(SimTimings.FAST.powerOff()));
        assertThat(verdict()).isEmpty();
    }

    @Test
    void splitBrain_assignOnTheSpareWhileTheCrashedSourceStillHolds_breaksInvariantsOneAndTwo() throws Exception {
        sim.inject("dl-1", Fault.CRASH);
        clock.advance(Duration.ofSeconds(1));
        sim.assign("dl-s1", web1, ctx);
        clock.advance(Duration.ofSeconds(1));

        assertThat(sim.holders("web-1")).containsExactly("dl-1", "dl-s1");
        assertThat(holdersOf("web-1")).last().isEqualTo(List.of("dl-1", "dl-s1"));
        List<HardwareViolation> v = verdict();
        assertThat(v).extracting(HardwareViolation::invariant).containsExactlyInAnyOrder("1", "2");
        assertThat(v).allSatisfy(x -> assertThat(x.message()).contains("web-1", "dl-1 (group hot)", "dl-s1 (group hot)"));
    }

    @Test
    void releaseByOrderThenAssign_isAPlannedMoveThatBreaksNothing() throws Exception {
        sim.release("dl-1", web1, ctx);
        sim.assign("dl-s1", web1, ctx);
        clock.advance(Duration.ofSeconds(1));

        assertThat(holdersOf("web-1")).containsExactly(List.of("dl-1"), List.of(), List.of("dl-s1"));
        assertThat(verdict()).isEmpty();
    }

    @Test
    void powerLossAndRepair_areRecordedWithTheirCauses() {
        sim.inject("dl-2", Fault.POWER_LOSS);
        sim.repair("dl-2");
        clock.advance(Duration.ofSeconds(30));

        assertThat(history()).extracting(e -> e.kind() + " " + e.server() + " " + e.detail()).containsSubsequence(
                "fault dl-2 power-loss", "power-off dl-2 power-loss", "identity-off dl-2 power-off", "repair dl-2 null",
                "power-on-ordered dl-2 repair", "power-on dl-2 power-on", "powered-on dl-2 booted", "identity-on dl-2 booted");
        assertThat(holdersOf("web-2")).containsExactly(List.of("dl-2"), List.of(), List.of("dl-2"));
        assertThat(verdict()).isEmpty();
    }
}
