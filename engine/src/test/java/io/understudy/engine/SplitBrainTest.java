package io.understudy.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.understudy.sim.Fault;
import io.understudy.sim.SimTimings;
import io.understudy.state.AlarmType;
import io.understudy.state.Job;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The split-brain rule on a driven clock: after a failover, the home server's agent reports the profile's alias again
 * (it was cut off and came back with it). The regular side yields by default: its agent is told to stop the workload
 * and drop the identity, a split-brain alarm names both sides, and the spare keeps the profile.
 */
class SplitBrainTest {
    @Test
    void theHomeServerComesBackWithTheAlias_itGivesItUp_andTheSpareKeepsServing() {
        SimFixture f = new SimFixture(DataCenters.demo(), SimTimings.FAST).settled();
        f.fail("dl-1", Fault.CRASH);
        assertThat(f.runUntil(() -> f.jobs().size() == 1 && f.onlyJob().status() == Job.Status.SUCCEEDED, Duration.ofMinutes(2))).isTrue();
        String spare = f.onlyJob().target();
        f.sim.repair("dl-1");
        f.run(Duration.ofSeconds(30));

        String alias = f.config.profiles().stream().filter(p -> p.id().equals("web-1")).findFirst().orElseThrow()
                .identity().addresses().get(0).replaceAll("/.*", "");
        // dl-1's agent reports holding the alias, as a Linux host that kept it across the cut would.
        f.engine.detector().addresses("dl-1", List.of("198.18.99.1", alias), f.clock.now());
        f.run(Duration.ofMillis(500));

        var alarm = f.alarm(AlarmType.SPLIT_BRAIN, "web-1").orElseThrow();
        assertThat(alarm.text()).contains("held by " + spare + " and by dl-1").contains("dl-1 gives it up").contains(spare + " keeps serving");
        assertThat(f.engine.decisions().about("web-1")).anySatisfy(d -> assertThat(d.text())
                .isEqualTo("agent of dl-1 stopped the workload of web-1 and dropped its identity"));
        assertThat(f.engine.decisions().about("web-1")).anySatisfy(d -> assertThat(d.text()).startsWith(spare + " announced " + alias + " again"));
        assertThat(f.serverOf("web-1")).isEqualTo(spare);
        assertThat(f.jobs()).hasSize(1);

        // A report from its own server is no conflict; a stale one is not acted on again.
        f.engine.detector().addresses(spare, List.of(alias), f.clock.now());
        f.run(Duration.ofSeconds(10));
        assertThat(f.engine.decisions().about("web-1").stream().filter(d -> d.text().contains("split brain"))).hasSize(1);
    }
}
