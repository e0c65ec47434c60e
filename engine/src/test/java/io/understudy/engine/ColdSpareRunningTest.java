package io.understudy.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.understudy.model.ServerState;
import io.understudy.sim.Fault;
import io.understudy.state.Alarm;
import io.understudy.state.AlarmType;
import io.understudy.state.Job;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Issue 11, item 4: an idle cold spare found running is powered off again, backing off, capped. */
class ColdSpareRunningTest {

    @Test
    void anIdleColdSpareFoundRunningSilentlyStoppedQualifying() {
        SimFixture f = new SimFixture().settled();
        f.sim.repair("bl-s1");   // an operator's repair powers the (healthy, off) cold spare on
        assertThat(f.runUntil(() -> f.stateOf("bl-s1") == ServerState.RUNNING, Duration.ofMinutes(3))).isTrue();
        assertThat(f.runUntil(() -> f.stateOf("bl-s1") == ServerState.OFF, Duration.ofMinutes(1))).isTrue();
        assertThat(f.sim.view("bl-s1").state()).isEqualTo("off");
        assertThat(f.engine.decisions().about("bl-s1")).anySatisfy(d -> assertThat(d.text()).contains("found running: powered off"));
        assertThat(f.alarm(AlarmType.COLD_SPARE_RUNNING, "bl-s1")).isEmpty();

        // It qualifies again: the smallest spare is chosen.
        f.fail("bl-1", Fault.POWER_LOSS);
        assertThat(f.runUntil(() -> !f.jobs().isEmpty() && !f.onlyJob().active(), Duration.ofMinutes(3))).isTrue();
        assertThat(f.onlyJob().status()).isEqualTo(Job.Status.SUCCEEDED);
        assertThat(f.onlyJob().target()).isEqualTo("bl-s1");
    }

    @Test
    void aColdSpareKeptRunning_isOrderedOffAtMostRetryLimitTimes_thenAlarmed() {
        SimFixture f = new SimFixture().settled();
        f.fail("bl-s2", Fault.STUCK_POWER);   // its BMC accepts power orders and does nothing
        f.sim.repair("bl-s2");
        f.fail("bl-s2", Fault.STUCK_POWER);
        assertThat(f.runUntil(() -> f.stateOf("bl-s2") == ServerState.RUNNING, Duration.ofMinutes(3))).isTrue();
        f.run(Duration.ofMinutes(10));
        long orders = f.engine.decisions().about("bl-s2").stream().filter(d -> d.text().contains("found running: powered off")).count();
        assertThat(orders).isEqualTo(3);
        assertThat(f.alarm(AlarmType.COLD_SPARE_RUNNING, "bl-s2").map(Alarm::text).orElseThrow()).contains("after 3 power-off orders");
    }
}
