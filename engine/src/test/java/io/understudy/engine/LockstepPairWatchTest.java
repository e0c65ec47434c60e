package io.understudy.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.understudy.drivers.CallContext;
import io.understudy.drivers.PairDriver.PairStatus;
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
import io.understudy.state.JobBudget;
import io.understudy.state.JobType;
import io.understudy.state.Step;
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
        return config(Duration.ofMinutes(10));
    }

    /** @param boot the pair group's boot timeout: how long a twin's member may take to answer once started */
    static DataCenterConfig config(Duration boot) {
        DataCenterConfig dc = DataCenters.demo();
        GroupSpec hot = dc.group("hot").orElseThrow();
        List<String> rest = hot.servers().stream().filter(s -> !s.equals(HOME)).toList();
        var pair = new GroupSpec("pair", List.of(HOME), List.of(TWIN), DataCenters.policy(hot.policy()).protection(ProtectionLevel.LOCKSTEP)
                .boot(boot).build());
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

    private static List<Job> jobs(SimFixture f, JobType type) {
        return f.jobs().stream().filter(j -> j.type() == type).toList();
    }

    /** The re-pair jobs of the profile, each ended and succeeded with both steps done, syncing {@code twin} in from {@code primary}. */
    private static void rePairedBy(SimFixture f, int jobs, String primary, String twin) {
        List<Job> repairs = jobs(f, JobType.REPAIR);
        assertThat(repairs).hasSize(jobs);
        Job last = repairs.get(repairs.size() - 1);
        assertThat(last.status()).as(last.message()).isEqualTo(Job.Status.SUCCEEDED);
        assertThat(last.source()).isEqualTo(primary);
        assertThat(last.target()).isEqualTo(twin);
        assertThat(last.startedBy()).isEqualTo(JobBudget.PAIR_WATCHER);
        assertThat(last.steps()).extracting(Step::name).containsExactly("start-twin", "sync-twin");
        assertThat(last.steps()).allMatch(st -> st.status() == Step.Status.DONE);
    }

    private static Map<String, Object> pair(SimFixture f) {
        return f.engine.pairs().get(PROFILE);
    }

    @Test
    void pairSettles_theTwinRunsItsMember_withoutTheAlias_andIsShownPaired() throws Exception {
        SimFixture f = new SimFixture(config(), SimTimings.FAST).settled();
        assertThat(f.runUntil(() -> "paired".equals(pair(f) == null ? null : pair(f).get("state")), Duration.ofMinutes(1))).isTrue();
        // The pair formed through a re-pair job: the twin's member started and synced in, shown with its steps.
        rePairedBy(f, 1, HOME, TWIN);
        assertThat(f.sim.monitor(TWIN, profile(f), CallContext.probe(1))).isEqualTo(WorkloadDriver.Status.RUNNING);
        assertThat(f.sim.holders(PROFILE)).containsExactly(HOME);
        assertThat(pair(f)).containsEntry("primary", HOME).containsEntry("twin", TWIN).containsEntry("state", "paired").containsEntry("lag", 0L);
        assertThat(f.alarm(AlarmType.LOCKSTEP_DEGRADED, PROFILE)).isEmpty();
    }

    @Test
    void twinDies_primaryGoesOnAlone_degradedAlarm_thenClearsOnceTheTwinIsBack() throws Exception {
        SimFixture f = new SimFixture(config(), SimTimings.FAST).settled();
        assertThat(f.runUntil(() -> "paired".equals(pair(f) == null ? null : pair(f).get("state")), Duration.ofMinutes(1))).isTrue();
        f.fail(TWIN, Fault.CRASH);
        assertThat(f.runUntil(() -> f.alarm(AlarmType.LOCKSTEP_DEGRADED, PROFILE).isPresent(), Duration.ofMinutes(1))).isTrue();
        assertThat(f.alarm(AlarmType.LOCKSTEP_DEGRADED, PROFILE).map(Alarm::text).orElseThrow())
                .contains("runs on " + HOME + " without a twin").contains(TWIN);
        assertThat(pair(f)).containsEntry("state", "degraded");
        // Nothing moves: the primary serves on.
        assertThat(f.jobs()).noneMatch(j -> j.profile().equals(PROFILE) && j.type() != JobType.REPAIR);
        assertThat(jobs(f, JobType.REPAIR)).hasSize(1);
        assertThat(f.sim.holders(PROFILE)).containsExactly(HOME);

        f.sim.repair(TWIN);
        assertThat(f.runUntil(() -> f.alarm(AlarmType.LOCKSTEP_DEGRADED, PROFILE).isEmpty() && "paired".equals(pair(f).get("state")),
                Duration.ofMinutes(3))).isTrue();
        assertThat(pair(f)).containsEntry("state", "paired");
        rePairedBy(f, 2, HOME, TWIN);
        assertThat(f.sim.monitor(TWIN, profile(f), CallContext.probe(1))).isEqualTo(WorkloadDriver.Status.RUNNING);
    }

    @Test
    void primaryDies_fencedThenTheAliasMovesToTheRunningTwin_whichIsNeverRestarted() throws Exception {
        SimFixture f = new SimFixture(config(), SimTimings.FAST).settled();
        assertThat(f.runUntil(() -> "paired".equals(pair(f) == null ? null : pair(f).get("state")), Duration.ofMinutes(1))).isTrue();
        f.fail(HOME, Fault.CRASH);
        assertThat(f.runUntil(() -> !jobs(f, JobType.FAILOVER).isEmpty() && !jobs(f, JobType.FAILOVER).get(0).active(), Duration.ofMinutes(1))).isTrue();

        Job job = jobs(f, JobType.FAILOVER).get(0);
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
        assertThat(f.runUntil(() -> f.alarm(AlarmType.LOCKSTEP_DEGRADED, PROFILE).isEmpty() && "paired".equals(pair(f).get("state")),
                Duration.ofMinutes(3))).isTrue();
        assertThat(pair(f)).containsEntry("primary", TWIN).containsEntry("twin", HOME).containsEntry("state", "paired");
        assertThat(f.sim.monitor(HOME, profile(f), CallContext.probe(1))).isEqualTo(WorkloadDriver.Status.RUNNING);
        assertThat(f.sim.holders(PROFILE)).containsExactly(TWIN);
        // Re-paired by a job with its steps: the old home synced in from the new primary.
        rePairedBy(f, 2, TWIN, HOME);
        assertThat(f.engine.decisions().about(PROFILE)).anySatisfy(d -> assertThat(d.text()).contains("re-pair job").contains("starts the member on " + HOME));
    }

    private static SimFixture refusingTwinStarts(DataCenterConfig config, RefusingWorkload[] workload) {
        return new SimFixture(config, SimTimings.FAST, (sim, clock) -> sim, sim -> sim,
                sim -> workload[0] = new RefusingWorkload(sim).refuseStart(TWIN::equals, "member cannot bind its port"));
    }

    @Test
    void twinsMemberNeverStarts_rePairJobsBackOff_andStopAtTheRetryLimitWithAnAlarm_thePrimaryServesOn() throws Exception {
        RefusingWorkload[] workload = new RefusingWorkload[1];
        SimFixture f = refusingTwinStarts(config(Duration.ofMinutes(2)), workload).settled();
        var policy = f.config.group("pair").orElseThrow().policy();
        assertThat(f.runUntil(() -> f.alarm(AlarmType.AUTOMATIC_JOBS_HELD, PROFILE).isPresent(), Duration.ofMinutes(30))).isTrue();

        List<Job> repairs = jobs(f, JobType.REPAIR);
        assertThat(repairs).hasSize(policy.retryLimit());
        assertThat(repairs).allSatisfy(j -> {
            assertThat(j.status()).isEqualTo(Job.Status.FAILED);
            assertThat(j.message()).contains("start-twin").contains("could not be started on " + TWIN).contains("member cannot bind its port");
        });
        // Each one waited the doubling back-off after the one before ended.
        for (int i = 1; i < repairs.size(); i++) {
            Duration backoff = policy.retryBackoff().multipliedBy(1L << (i - 1));
            assertThat(repairs.get(i).created()).isAfterOrEqualTo(repairs.get(i - 1).ended().plus(backoff));
        }
        assertThat(f.alarm(AlarmType.AUTOMATIC_JOBS_HELD, PROFILE).map(Alarm::text).orElseThrow()).contains("re-pair");
        assertThat(f.alarm(AlarmType.LOCKSTEP_DEGRADED, PROFILE)).isPresent();
        // At the cap: no more jobs, and the primary never stopped serving.
        f.run(Duration.ofMinutes(20));
        assertThat(jobs(f, JobType.REPAIR)).hasSize(policy.retryLimit());
        assertThat(f.sim.holders(PROFILE)).containsExactly(HOME);
        assertThat(f.jobs()).allMatch(j -> j.type() == JobType.REPAIR);
    }

    @Test
    void primaryDiesWhileItsTwinIsBeingPaired_theRePairEnds_andTheFailoverFollows() throws Exception {
        RefusingWorkload[] workload = new RefusingWorkload[1];
        SimFixture f = refusingTwinStarts(config(), workload).settled();
        // Held mid-way: the twin's member does not start, so the job waits in start-twin.
        assertThat(f.runUntil(() -> jobs(f, JobType.REPAIR).stream().anyMatch(j -> j.active() && j.currentStep() == 0
                && j.steps().get(0).status() == Step.Status.RUNNING), Duration.ofMinutes(1))).isTrue();
        Job repair = jobs(f, JobType.REPAIR).get(0);
        assertThat(f.engine.jobs().progress(repair.id())).contains("starting the pair member on " + TWIN);

        workload[0].refuseStart(s -> false, "");
        f.fail(HOME, Fault.CRASH);
        assertThat(f.runUntil(() -> jobs(f, JobType.FAILOVER).stream().anyMatch(j -> !j.active()), Duration.ofMinutes(2))).isTrue();

        Job ended = f.job(repair.id());
        assertThat(ended.status()).isEqualTo(Job.Status.FAILED);
        assertThat(ended.message()).contains("the primary " + HOME + " is").contains("its failover comes first");
        Job failover = jobs(f, JobType.FAILOVER).get(0);
        assertThat(failover.status()).as(failover.message()).isEqualTo(Job.Status.SUCCEEDED);
        assertThat(failover.target()).isEqualTo(TWIN);
        assertThat(failover.created()).isAfterOrEqualTo(ended.ended());
        assertThat(f.sim.holders(PROFILE)).containsExactly(TWIN);
    }

    /**
     * The simulator's members, with the twin scripted: level with a leading primary until the test sets it
     * {@code troubled} — then it answers (its member runs) but hears no leader, far behind, or reports a divergence —
     * until it is told to resync; then it is level again. Counts the resync orders and when each came.
     */
    static final class TroubledTwin implements io.understudy.drivers.PairDriver {
        final io.understudy.drivers.PairDriver sim;
        final boolean diverged;
        final List<java.time.Instant> resyncs = new java.util.concurrent.CopyOnWriteArrayList<>();
        volatile boolean troubled;
        volatile java.time.Instant troubledSince;

        /** How long the scripted twin has heard no leader, by the (driven) clock: what a member measures itself. */
        long deafFor() {
            return Duration.between(troubledSince, clock.now()).toMillis();
        }

        void trouble() {
            troubledSince = clock.now();
            troubled = true;
        }
        io.understudy.testkit.DrivenScheduler clock;

        TroubledTwin(io.understudy.drivers.PairDriver sim, boolean diverged) {
            this.sim = sim;
            this.diverged = diverged;
        }

        @Override
        public PairStatus status(String server, ProfileSpec profile, CallContext ctx) throws io.understudy.drivers.DriverException {
            sim.status(server, profile, ctx);   // answers only where the member runs
            if (server.equals(HOME)) return new PairStatus(5_000, "d", true, null, HOME, 0);
            if (!troubled) return new PairStatus(5_000, "d", false, null, HOME, 0);
            return diverged ? new PairStatus(4_990, "x", false, 4_900L, HOME, 0) : new PairStatus(12, "x", false, null, null, deafFor());
        }

        @Override
        public void resync(String server, ProfileSpec profile, CallContext ctx) throws io.understudy.drivers.DriverException {
            resyncs.add(clock.now());
            troubled = false;
        }
    }

    private static SimFixture withTroubledTwin(TroubledTwin[] twin, boolean diverged) {
        SimFixture f = new SimFixture(config(), SimTimings.FAST, (sim, clock) -> sim, sim -> sim, sim -> sim,
                pair -> twin[0] = new TroubledTwin(pair, diverged));
        twin[0].clock = f.clock;
        return f;
    }

    /** A pair that formed (its first re-pair job done), whose twin then falls into trouble. */
    private static SimFixture pairedThenTroubled(TroubledTwin[] twin, boolean diverged) {
        SimFixture f = withTroubledTwin(twin, diverged).settled();
        assertThat(f.runUntil(() -> "paired".equals(pair(f) == null ? null : pair(f).get("state")), Duration.ofMinutes(1))).isTrue();
        twin[0].trouble();
        return f;
    }

    @Test
    void twinHearsNoLeaderWhileThePrimaryLeads_aRePairJobTellsItToResyncOnce_afterTheDeafWait_andThePairIsWhole() throws Exception {
        TroubledTwin[] twin = new TroubledTwin[1];
        SimFixture f = pairedThenTroubled(twin, false);
        assertThat(f.runUntil(() -> jobs(f, JobType.REPAIR).size() == 2 && !jobs(f, JobType.REPAIR).get(1).active(), Duration.ofMinutes(2))).isTrue();

        Job job = jobs(f, JobType.REPAIR).get(1);
        assertThat(job.status()).as(job.message()).isEqualTo(Job.Status.SUCCEEDED);
        assertThat(job.reason()).contains("twin " + TWIN + " has heard no leader for").contains("while the primary leads, 4988 inputs ahead of it");
        assertThat(twin[0].resyncs).hasSize(1);
        // Raft gets its chance first: no job, and no resync, before the twin has been deaf for the wait.
        assertThat(job.created()).isAfterOrEqualTo(twin[0].troubledSince.plus(io.understudy.engine.job.TwinCheck.DEAF_FOR));
        assertThat(twin[0].resyncs.get(0)).isAfterOrEqualTo(twin[0].troubledSince.plus(io.understudy.engine.job.TwinCheck.DEAF_FOR));
        assertThat(f.runUntil(() -> "paired".equals(pair(f).get("state")), Duration.ofMinutes(1))).isTrue();
        assertThat(f.sim.holders(PROFILE)).containsExactly(HOME);
        f.run(Duration.ofMinutes(2));
        assertThat(jobs(f, JobType.REPAIR)).hasSize(2);
    }

    @Test
    void twinReportsADivergence_theDivergenceAlarm_andARePairJobHasItResyncAtOnce_thenTheAlarmClears() throws Exception {
        TroubledTwin[] twin = new TroubledTwin[1];
        SimFixture f = pairedThenTroubled(twin, true);
        assertThat(f.runUntil(() -> f.alarm(AlarmType.LOCKSTEP_DIVERGENCE, PROFILE).isPresent(), Duration.ofMinutes(1))).isTrue();
        assertThat(f.alarm(AlarmType.LOCKSTEP_DIVERGENCE, PROFILE).map(Alarm::text).orElseThrow()).contains(TWIN + " diverged at input 4900");
        assertThat(f.runUntil(() -> jobs(f, JobType.REPAIR).size() == 2 && !jobs(f, JobType.REPAIR).get(1).active(), Duration.ofMinutes(2))).isTrue();
        Job job = jobs(f, JobType.REPAIR).get(1);
        assertThat(job.status()).as(job.message()).isEqualTo(Job.Status.SUCCEEDED);
        assertThat(job.reason()).contains("diverged at input 4900");
        // A divergence does not wait: the twin is told as soon as the job's sync step sees it.
        assertThat(twin[0].resyncs).hasSize(1).allSatisfy(at -> assertThat(at).isBefore(twin[0].troubledSince.plus(io.understudy.engine.job.TwinCheck.DEAF_FOR)));
        assertThat(f.runUntil(() -> f.alarm(AlarmType.LOCKSTEP_DIVERGENCE, PROFILE).isEmpty(), Duration.ofMinutes(1))).isTrue();
    }
}
