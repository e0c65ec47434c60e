package io.understudy.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.understudy.model.ServerState;
import io.understudy.model.config.DataCenterConfig;
import io.understudy.model.config.GroupPolicy;
import io.understudy.sim.Fault;
import io.understudy.sim.SimTimings;
import io.understudy.state.Alarm;
import io.understudy.state.AlarmType;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The detector's brake against waves of silence: judged over a sliding window, its alarm cleared when the wave is over. */
class DetectorBrakeTest {
    /** Every server that regularly heartbeats: eight regulars and the two booted hot spares (cold spares wait off). */
    private static final int FLEET = 10;
    private static final List<String> REGULARS = List.of("dl-1", "bl-1", "dl-2", "bl-2", "dl-3", "bl-3", "dl-4", "bl-4");
    private static final List<String> HEARTBEATING = List.of("dl-1", "dl-2", "dl-3", "dl-4", "bl-1", "bl-2", "bl-3", "bl-4", "dl-s1", "dl-s2");

    /**
     * Both groups on the hot group's timings (200 ms heartbeat, 1 s failure timeout), so a verdict without BMC
     * confirmation waits no longer than the timeout and a wave's early servers are judged before its late ones fall
     * silent.
     */
    private static DataCenterConfig quick() {
        return DataCenters.withPolicy(DataCenters.demo(), "cold", p -> timing(p, Duration.ofMillis(200), Duration.ofSeconds(1)));
    }

    private static GroupPolicy timing(GroupPolicy p, Duration heartbeat, Duration failureTimeout) {
        return new GroupPolicy(p.protection(), p.eventHandling(), heartbeat, failureTimeout, p.anticipatedFailures(), p.preempt(),
                p.serializeJobs(), p.fenceTimeout(), p.bootTimeout(), p.verifyTimeout(), p.verifyRechecks(), p.fallbackHoldDown(),
                p.fallbackLimit(), p.fallbackWindow(), p.backupInterval(), p.syncInterval(), p.selfFenceTimeout(),
                p.fenceWithoutBmc(), p.splitBrainYield());
    }

    private static long convicted(SimFixture f) {
        return REGULARS.stream().filter(s -> f.stateOf(s) != ServerState.RUNNING).count();
    }

    /**
     * Regression: the brake counted only servers late at the moment of a conviction, and a convicted server left the
     * count, so servers falling silent 300 ms apart were convicted and fenced one by one and the brake never engaged.
     */
    @Test
    void brakeHoldsFailuresSpreadOverASecond() {
        SimFixture f = new SimFixture(quick(), SimTimings.FAST).settled();
        assertThat(HEARTBEATING).allMatch(s -> f.stateOf(s) == ServerState.RUNNING);
        for (String s : REGULARS) {   // eight of ten fall silent over 2.1 s; their BMCs say on and healthy (weak verdicts)
            f.fail(s, Fault.HANG);
            f.run(Duration.ofMillis(300));
        }
        f.run(Duration.ofSeconds(20));

        // The brake lets through what it lets through for a simultaneous wave: no more than its share of the fleet.
        int allowed = (int) (FLEET * EngineSettings.DEFAULTS.brakeShare());
        assertThat(convicted(f)).as(() -> f.engine.decisions().recent().toString()).isLessThanOrEqualTo(allowed);
        assertThat(f.jobs()).hasSizeLessThanOrEqualTo(allowed);
        // The last servers of the wave are held, and the alarm says why.
        assertThat(List.of("dl-4", "bl-4")).allMatch(s -> f.stateOf(s) == ServerState.RUNNING);
        assertThat(f.alarm(AlarmType.DETECTOR_BRAKE, "detector").map(Alarm::text).orElseThrow())
                .contains("within the brake's window").contains("fencing nobody");
    }

    /** The control plane's network to every heartbeating server and to their BMCs is cut: the brake engages. */
    private static SimFixture cutOff() {
        SimFixture f = new SimFixture().settled();
        for (String s : HEARTBEATING) {
            f.fail(s, Fault.BMC_DOWN);
            f.fail(s, Fault.ISOLATED);
        }
        f.run(Duration.ofSeconds(20));
        assertThat(f.jobs()).isEmpty();
        assertThat(f.alarm(AlarmType.DETECTOR_BRAKE, "detector")).isPresent();
        return f;
    }

    /** Regression: the brake's alarm was cleared only in a round with suspects, so once everyone was heard again it stayed open forever. */
    @Test
    void brakeAlarmClearsWhenEveryServerIsHeardAgain() {
        SimFixture f = cutOff();
        HEARTBEATING.forEach(f.sim::repair);
        f.run(Duration.ofSeconds(2));
        assertThat(f.alarm(AlarmType.DETECTOR_BRAKE, "detector")).isEmpty();
        assertThat(f.engine.decisions().about("detector")).anySatisfy(d -> assertThat(d.text()).startsWith("brake released"));
        assertThat(HEARTBEATING).allMatch(s -> f.stateOf(s) == ServerState.RUNNING);
        assertThat(f.jobs()).isEmpty();
    }

    /** The wave is not over while one of its servers is neither heard again nor confirmed failed by its BMC. */
    @Test
    void brakeAlarm_whileOneServerOfTheWaveIsUnexplained_staysOpen() {
        SimFixture f = cutOff();
        for (String s : HEARTBEATING.subList(0, 9)) f.sim.repair(s);
        f.run(Duration.ofSeconds(5));
        assertThat(f.alarm(AlarmType.DETECTOR_BRAKE, "detector")).isPresent();

        f.sim.repair(HEARTBEATING.get(9));
        f.run(Duration.ofSeconds(2));
        assertThat(f.alarm(AlarmType.DETECTOR_BRAKE, "detector")).isEmpty();
        assertThat(HEARTBEATING.subList(0, 9)).allMatch(s -> f.stateOf(s) == ServerState.RUNNING);
    }
}
