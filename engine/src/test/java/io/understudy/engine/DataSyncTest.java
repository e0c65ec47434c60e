package io.understudy.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.understudy.drivers.DataDriver.BackupInfo;
import io.understudy.model.config.DataCenterConfig;
import io.understudy.model.config.FallbackMode;
import io.understudy.model.config.ProtectionLevel;
import io.understudy.sim.Fault;
import io.understudy.sim.SimTimings;
import io.understudy.state.AlarmType;
import io.understudy.state.Job;
import io.understudy.state.JobType;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A profile's data follows it (seed 004, chapter 3), on the simulator and a driven clock: backups on a schedule,
 * copies to the spares (two newest kept), the failover target starting from the newest good copy, a corrupt copy
 * that never replaces a good one, a preloaded standby reloading each copy, and fallback bringing the data home.
 */
class DataSyncTest {
    static final String PROFILE = "web-1";
    static final String HOME = "dl-1";

    static DataCenterConfig config(ProtectionLevel level) {
        DataCenterConfig dc = DataCenters.withPolicy(DataCenters.demo(), "hot",
                p -> DataCenters.policy(p).protection(level).data(Duration.ofMinutes(1), Duration.ofHours(24)).build());
        if (level == ProtectionLevel.PRELOADED) dc = oneToOne(dc);
        return DataCenters.withProfile(dc, PROFILE, p -> DataCenters.fallback(DataCenters.dataDir(p, "/var/lib/web"), FallbackMode.MANUAL));
    }

    /** A preloaded group is 1:1 (MX-ONE): dl-1 with standby dl-s1; the other hot servers keep a hot group of their own. */
    private static DataCenterConfig oneToOne(DataCenterConfig dc) {
        io.understudy.model.config.GroupSpec hot = dc.group("hot").orElseThrow();
        List<String> rest = hot.servers().stream().filter(s -> !s.equals(HOME)).toList();
        var others = new io.understudy.model.config.GroupSpec("hot-rest", rest, List.of("dl-s2"),
                DataCenters.policy(hot.policy()).protection(ProtectionLevel.HOT).build());
        var preloaded = new io.understudy.model.config.GroupSpec("hot", List.of(HOME), List.of("dl-s1"), hot.policy());
        List<io.understudy.model.config.GroupSpec> groups = new java.util.ArrayList<>(dc.groups().stream().filter(g -> !g.id().equals("hot")).toList());
        groups.add(preloaded);
        groups.add(others);
        return new DataCenterConfig(dc.name(), dc.enclosures(), dc.servers(), groups, dc.profiles().stream()
                .map(p -> p.group().equals("hot") && !p.home().equals(HOME) ? new io.understudy.model.config.ProfileSpec(p.id(), "hot-rest", p.home(),
                        p.identity(), p.workload(), p.requirements(), p.priority(), p.fallback(), p.protection(), p.dataDir()) : p).toList());
    }

    @Test
    void backupsAreCopiedToTheSpares_theTargetStartsFromTheNewest_andFallbackBringsTheSparesDataHome() {
        SimFixture f = new SimFixture(config(ProtectionLevel.HOT), SimTimings.FAST).settled();
        BackupInfo first = f.sim.keptBackups(HOME, PROFILE).get(0);
        assertThat(f.sim.keptBackups("dl-s1", PROFILE)).containsExactly(first);
        assertThat(f.sim.keptBackups("dl-s2", PROFILE)).containsExactly(first);

        f.run(Duration.ofMinutes(3));
        List<BackupInfo> atHome = f.sim.keptBackups(HOME, PROFILE);
        assertThat(atHome).hasSize(2);
        assertThat(f.sim.keptBackups("dl-s1", PROFILE)).as("the two newest, like home").isEqualTo(atHome);
        // Profiles without a data directory are left alone.
        assertThat(f.sim.keptBackups("dl-2", "web-2")).isEmpty();

        f.fail(HOME, Fault.CRASH);
        assertThat(f.runUntil(() -> f.jobs().size() == 1 && f.onlyJob().status() == Job.Status.SUCCEEDED, Duration.ofMinutes(2))).isTrue();
        String spare = f.onlyJob().target();
        BackupInfo newest = f.sim.keptBackups(HOME, PROFILE).get(0);
        assertThat(f.sim.dataFrom(spare, PROFILE)).as("the workload starts from the newest copy").contains(newest.name());
        assertThat(f.onlyJob().steps().stream().filter(s -> s.name().equals("activate")).findFirst().orElseThrow().message())
                .contains("from backup " + newest.name());

        // The spare now runs the profile and backs it up; the home comes back and gets the newer data by sync.
        f.run(Duration.ofMinutes(2));
        f.sim.repair(HOME);
        f.run(Duration.ofMinutes(2));
        BackupInfo onSpare = f.sim.keptBackups(spare, PROFILE).get(0);
        assertThat(onSpare.name()).startsWith(spare);
        assertThat(f.sim.keptBackups(HOME, PROFILE).get(0)).as("the newer side is the source").isEqualTo(onSpare);

        assertThat(f.engine.operations().fallback(PROFILE, "test").ok()).isTrue();
        assertThat(f.runUntil(() -> f.jobs().size() == 2 && f.jobs().get(1).status() == Job.Status.SUCCEEDED, Duration.ofMinutes(2))).isTrue();
        Job back = f.jobs().get(1);
        assertThat(back.type()).isEqualTo(JobType.FALLBACK);
        String synced = back.steps().stream().filter(s -> s.name().equals("sync-data")).findFirst().orElseThrow().message();
        assertThat(synced).contains("taken on " + spare).contains("copied to " + HOME);
        BackupInfo last = f.sim.keptBackups(spare, PROFILE).get(0);
        assertThat(f.sim.dataFrom(HOME, PROFILE)).as("home starts from the spare's last backup").contains(last.name());
        assertThat(f.serverOf(PROFILE)).isEqualTo(HOME);
    }

    @Test
    void aCorruptCopy_raisesStandbyFailedToSynchronize_andKeepsTheGoodCopy_untilACopyGetsThrough() {
        SimFixture f = new SimFixture(config(ProtectionLevel.HOT), SimTimings.FAST).settled();
        BackupInfo good = f.sim.keptBackups("dl-s1", PROFILE).get(0);
        f.sim.corruptCopiesTo("dl-s1", true);
        f.run(Duration.ofMinutes(1).plusSeconds(5));
        assertThat(f.alarm(AlarmType.DATA_SYNC_FAILED, "dl-s1")).get()
                .satisfies(a -> assertThat(a.text()).contains("standby dl-s1 failed to synchronize data of web-1").contains("corrupt"));
        assertThat(f.sim.keptBackups("dl-s1", PROFILE)).containsExactly(good);
        assertThat(f.alarm(AlarmType.DATA_SYNC_FAILED, "dl-s2")).isEmpty();

        f.sim.corruptCopiesTo("dl-s1", false);
        f.run(Duration.ofMinutes(1).plusSeconds(5));
        assertThat(f.alarm(AlarmType.DATA_SYNC_FAILED, "dl-s1")).isEmpty();
        assertThat(f.sim.keptBackups("dl-s1", PROFILE).get(0)).isEqualTo(f.sim.keptBackups(HOME, PROFILE).get(0));
    }

    @Test
    void aPreloadedStandby_runsTheWorkload_reloadsEachCopy_andTakesOverWithoutARestore() throws Exception {
        SimFixture f = new SimFixture(config(ProtectionLevel.PRELOADED), SimTimings.FAST).settled();
        f.run(SpareWatcher.EVERY.plusSeconds(1));
        var probe = io.understudy.drivers.CallContext.probe(1);
        var profile = f.config.profiles().stream().filter(p -> p.id().equals(PROFILE)).findFirst().orElseThrow();
        assertThat(f.sim.monitor("dl-s1", profile, probe)).as("the control plane started the standby's workload")
                .isEqualTo(io.understudy.drivers.WorkloadDriver.Status.RUNNING);
        BackupInfo newest = f.sim.keptBackups(HOME, PROFILE).get(0);
        assertThat(f.sim.dataFrom("dl-s1", PROFILE)).as("reloaded at the copy").contains(newest.name());

        f.fail(HOME, Fault.CRASH);
        assertThat(f.runUntil(() -> f.jobs().size() == 1 && f.onlyJob().status() == Job.Status.SUCCEEDED, Duration.ofMinutes(2))).isTrue();
        assertThat(f.onlyJob().steps().stream().filter(s -> s.name().equals("activate")).findFirst().orElseThrow().message())
                .contains("data as last synced");
    }
}
