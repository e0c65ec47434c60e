package io.understudy.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.understudy.drivers.CallContext;
import io.understudy.drivers.WorkloadDriver;
import io.understudy.model.config.DataCenterConfig;
import io.understudy.model.config.GroupSpec;
import io.understudy.model.config.ProfileSpec;
import io.understudy.model.config.ProtectionLevel;
import io.understudy.sim.Fault;
import io.understudy.sim.SimTimings;
import io.understudy.state.Alarm;
import io.understudy.state.AlarmType;
import io.understudy.state.Job;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A lockstep profile in the control plane, on the driven clock: web-1 on dl-1 with its twin on dl-s1 (a 1:1 group),
 * the other hot servers in a hot group of their own. The simulator's members report sequence 0 (it sends no inputs);
 * what is checked here is what the control plane does with a pair — the real pair protocol is the lockstep module's.
 */
class LockstepPairWatchTest {
    static final String PROFILE = "web-1";
    static final String HOME = "dl-1";
    static final String TWIN = "dl-s1";

    static DataCenterConfig config() {
        DataCenterConfig dc = DataCenters.demo();
        GroupSpec hot = dc.group("hot").orElseThrow();
        List<String> rest = hot.servers().stream().filter(s -> !s.equals(HOME)).toList();
        var pair = new GroupSpec("pair", List.of(HOME), List.of(TWIN), DataCenters.policy(hot.policy()).protection(ProtectionLevel.LOCKSTEP).build());
        var others = new GroupSpec("hot", rest, List.of("dl-s2"), hot.policy());
        List<GroupSpec> groups = new ArrayList<>(dc.groups().stream().filter(g -> !g.id().equals("hot")).toList());
        groups.add(pair);
        groups.add(others);
        return new DataCenterConfig(dc.name(), dc.enclosures(), dc.servers(), groups, dc.profiles().stream()
                .map(p -> p.id().equals(PROFILE) ? new ProfileSpec(p.id(), "pair", p.home(), p.identity(), p.workload(), p.requirements(),
                        p.priority(), p.fallback(), null, null, List.of(), 7400) : p).toList());
    }

    private static ProfileSpec profile(SimFixture f) {
        return f.config.profile(PROFILE).orElseThrow();
    }

    private static Map<String, Object> pair(SimFixture f) {
        return f.engine.pairs().get(PROFILE);
    }

    @Test
    void pairSettles_theTwinRunsItsMember_withoutTheAlias_andIsShownPaired() throws Exception {
        SimFixture f = new SimFixture(config(), SimTimings.FAST).settled();
        f.run(SpareWatcher.EVERY.plus(PairWatcher.EVERY).plusSeconds(1));
        assertThat(f.sim.monitor(TWIN, profile(f), CallContext.probe(1))).isEqualTo(WorkloadDriver.Status.RUNNING);
        assertThat(f.sim.holders(PROFILE)).containsExactly(HOME);
        assertThat(pair(f)).containsEntry("primary", HOME).containsEntry("twin", TWIN).containsEntry("state", "paired").containsEntry("lag", 0L);
        assertThat(f.alarm(AlarmType.LOCKSTEP_DEGRADED, PROFILE)).isEmpty();
    }

    @Test
    void twinDies_primaryGoesOnAlone_degradedAlarm_thenClearsOnceTheTwinIsBack() throws Exception {
        SimFixture f = new SimFixture(config(), SimTimings.FAST).settled();
        f.run(SpareWatcher.EVERY.plus(PairWatcher.EVERY).plusSeconds(1));
        f.fail(TWIN, Fault.CRASH);
        assertThat(f.runUntil(() -> f.alarm(AlarmType.LOCKSTEP_DEGRADED, PROFILE).isPresent(), Duration.ofMinutes(1))).isTrue();
        assertThat(f.alarm(AlarmType.LOCKSTEP_DEGRADED, PROFILE).map(Alarm::text).orElseThrow())
                .contains("runs on " + HOME + " without a twin").contains(TWIN);
        assertThat(pair(f)).containsEntry("state", "degraded");
        // Nothing moves: the primary serves on.
        assertThat(f.jobs()).noneMatch(j -> j.profile().equals(PROFILE));
        assertThat(f.sim.holders(PROFILE)).containsExactly(HOME);

        f.sim.repair(TWIN);
        assertThat(f.runUntil(() -> f.alarm(AlarmType.LOCKSTEP_DEGRADED, PROFILE).isEmpty(), Duration.ofMinutes(3))).isTrue();
        assertThat(pair(f)).containsEntry("state", "paired");
        assertThat(f.sim.monitor(TWIN, profile(f), CallContext.probe(1))).isEqualTo(WorkloadDriver.Status.RUNNING);
    }

    @Test
    void primaryDies_fencedThenTheAliasMovesToTheRunningTwin_whichIsNeverRestarted() throws Exception {
        SimFixture f = new SimFixture(config(), SimTimings.FAST).settled();
        f.run(SpareWatcher.EVERY.plus(PairWatcher.EVERY).plusSeconds(1));
        f.fail(HOME, Fault.CRASH);
        assertThat(f.runUntil(() -> !f.jobs().isEmpty() && !f.onlyJob().active(), Duration.ofMinutes(1))).isTrue();

        Job job = f.onlyJob();
        assertThat(job.status()).as(job.message()).isEqualTo(Job.Status.SUCCEEDED);
        assertThat(job.target()).isEqualTo(TWIN);
        assertThat(f.sim.holders(PROFILE)).containsExactly(TWIN);
        // The twin's member was never stopped: it ran through the failover with the pair's state.
        assertThat(f.sim.hardwareLog().events()).noneMatch(e -> TWIN.equals(e.server()) && e.kind().equals(io.understudy.sim.HardwareEvent.WORKLOAD_OFF));
        f.run(PairWatcher.EVERY.plus(Duration.ofSeconds(10)));
        assertThat(pair(f)).containsEntry("primary", TWIN).containsEntry("twin", HOME).containsEntry("state", "degraded");
        assertThat(f.alarm(AlarmType.LOCKSTEP_DEGRADED, PROFILE).map(Alarm::text).orElseThrow()).contains("runs on " + TWIN + " without a twin");
        // The old home repaired: its member is started there (not the identity), the pair is whole, the alarm clears.
        f.sim.repair(HOME);
        assertThat(f.runUntil(() -> f.alarm(AlarmType.LOCKSTEP_DEGRADED, PROFILE).isEmpty(), Duration.ofMinutes(3))).isTrue();
        assertThat(pair(f)).containsEntry("primary", TWIN).containsEntry("twin", HOME).containsEntry("state", "paired");
        assertThat(f.sim.monitor(HOME, profile(f), CallContext.probe(1))).isEqualTo(WorkloadDriver.Status.RUNNING);
        assertThat(f.sim.holders(PROFILE)).containsExactly(TWIN);
        assertThat(f.engine.decisions().about(PROFILE)).anySatisfy(d -> assertThat(d.text()).contains("member started on " + HOME));
    }
}
