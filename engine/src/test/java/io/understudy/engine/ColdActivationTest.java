package io.understudy.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.understudy.model.ServerState;
import io.understudy.model.config.DataCenterConfig;
import io.understudy.model.config.Identity;
import io.understudy.model.config.ProfileSpec;
import io.understudy.sim.Fault;
import io.understudy.sim.SimTimings;
import io.understudy.state.Job;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Cold failover where the servers have real agents ({@link OsAgents}): the identity lives in the spare's OS, so the
 * spare must be powered on first and the identity given to its agent once it is heard (issue 11).
 */
class ColdActivationTest {
    private static final Set<String> COLD = Set.of("bl-1", "bl-2", "bl-3", "bl-4", "bl-s1", "bl-s2");

    /** The demo's cold group with agents in the OS: its profiles keep no boot-from-SAN port (no agent rewrites one). */
    private static DataCenterConfig coldWithAgents(Duration bootTimeout) {
        DataCenterConfig dc = DataCenters.withPolicy(DataCenters.demo(), "cold", p -> DataCenters.policy(p).boot(bootTimeout).build());
        for (ProfileSpec p : dc.profiles()) {
            if (!p.group().equals("cold")) continue;
            dc = DataCenters.withProfile(dc, p.id(), q -> new ProfileSpec(q.id(), q.group(), q.home(),
                    new Identity(q.identity().hostname(), q.identity().addresses(), q.identity().macs(), List.of()),
                    q.workload(), q.requirements(), q.priority(), q.fallback(), q.protection(), q.dataDir()));
        }
        return dc;
    }

    private static SimFixture fixture(Duration bootTimeout, OsAgents[] agents) {
        return new SimFixture(coldWithAgents(bootTimeout), SimTimings.FAST, (sim, clock) -> sim, sim -> agents[0] = new OsAgents(sim, COLD));
    }

    /**
     * Issue 11: activate gave the identity to the powered-off spare's agent before powering it on, met "connection
     * refused" on every poll, never powered it on, and failed the job after bootTimeout with the source fenced.
     */
    @Test
    void coldActivationPushedIdentityToAPoweredOffSpare() {
        OsAgents[] agents = new OsAgents[1];
        SimFixture f = fixture(Duration.ofMinutes(2), agents).settled();
        f.fail("bl-2", Fault.POWER_LOSS);
        assertThat(f.runUntil(() -> !f.jobs().isEmpty() && !f.onlyJob().active(), Duration.ofMinutes(3))).isTrue();

        Job job = f.onlyJob();
        assertThat(job.status()).as(job.message()).isEqualTo(Job.Status.SUCCEEDED);
        assertThat(job.target()).isEqualTo("bl-s1");
        assertThat(job.steps().get(5).message()).contains("(cold)").contains("workload started");
        assertThat(f.sim.holders("db-2")).containsExactly("bl-s1");
        assertThat(f.sim.view("bl-s1").workloadRunning()).isTrue();
        // Nothing was ordered of the spare's agent before it ran: power first, then the agent once heard.
        assertThat(agents[0].refused).as("identity orders to an agent that was not running").isEmpty();
        f.run(Duration.ofSeconds(2));
        assertThat(f.stateOf("bl-s1")).isEqualTo(ServerState.RUNNING);
    }

    /** A spare that powers on but whose agent never heartbeats fails the job at bootTimeout, saying so. */
    @Test
    void coldActivation_agentNeverHeardAfterPowerOn_failsAtBootTimeout() {
        OsAgents[] agents = new OsAgents[1];
        SimFixture f = fixture(Duration.ofSeconds(30), agents).settled();
        f.fail("bl-s1", Fault.HANG);   // its OS will hang at boot: powered, never heard
        f.fail("bl-2", Fault.POWER_LOSS);
        assertThat(f.runUntil(() -> !f.jobs().isEmpty() && !f.onlyJob().active(), Duration.ofMinutes(2))).isTrue();

        Job job = f.onlyJob();
        assertThat(job.status()).isEqualTo(Job.Status.FAILED);
        assertThat(job.target()).isEqualTo("bl-s1");
        assertThat(job.message()).contains("the agent of bl-s1 was not heard within 30 s of its power-on");
        // The only order its hung agent saw is the failed job's clean-up (drop what it may hold; then power off).
        assertThat(agents[0].refused).hasSizeLessThanOrEqualTo(1);
        assertThat(f.sim.holders("db-2")).isEmpty();
        // Its hung agent could not confirm it dropped db-2 and the power-off was only ordered: the state keeps db-2
        // recorded on bl-s1 (not down), so nothing starts it elsewhere before bl-s1 is fenced.
        assertThat(job.message()).contains("power-off ordered");
        assertThat(f.serverOf("db-2")).isEqualTo("bl-s1");
        assertThat(f.alarm(io.understudy.state.AlarmType.PROFILE_DOWN, "db-2").map(io.understudy.state.Alarm::text).orElseThrow())
                .contains("bl-s1 may still hold its identity");
    }
}
