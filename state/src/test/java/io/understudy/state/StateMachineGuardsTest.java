package io.understudy.state;

import static io.understudy.state.Fixtures.T0;
import static org.assertj.core.api.Assertions.assertThat;

import io.understudy.model.ServerState;
import io.understudy.model.config.DataCenterConfig;
import io.understudy.model.config.GroupSpec;
import io.understudy.state.command.ApplyConfig;
import io.understudy.state.command.ConfirmFence;
import io.understudy.state.command.CreateJob;
import io.understudy.state.command.FinishStep;
import io.understudy.state.command.LockProfile;
import io.understudy.state.command.MoveProfile;
import io.understudy.state.command.ObserveServer;
import io.understudy.state.command.ReserveSpare;
import io.understudy.state.command.StartStep;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The state machine refuses what would break the invariants, whatever a (possibly stale) leader asks. */
class StateMachineGuardsTest {
    final StateMachine m = new StateMachine();
    long index;

    Result apply(io.understudy.state.command.Command c) {
        return m.apply(c, index++);
    }

    String serverOf(String profile) {
        return m.read(s -> s.profile(profile).server());
    }

    Step.Status stepStatus(long job, int step) {
        return m.read(s -> s.job(job).steps().get(step).status());
    }

    @BeforeEach
    void configure() {
        assertThat(apply(Fixtures.applyConfig()).ok()).isTrue();
    }

    long failoverJob() {
        Result r = apply(new CreateJob(JobType.FAILOVER, "web", "s1", "test", "why", T0));
        assertThat(r.ok()).as(r.message()).isTrue();
        return r.job();
    }

    @Test
    void createJob_secondForSameProfile_isRefused() {
        long j = failoverJob();
        Result again = apply(new CreateJob(JobType.FAILOVER, "web", "s1", "test", "why", T0));
        assertThat(again.ok()).isFalse();
        assertThat(again.message()).isEqualTo("profile web already has job " + j + " running");
    }

    @Test
    void moveProfile_fromUnfencedSource_isRefused() {
        long j = failoverJob();
        assertThat(apply(new ReserveSpare(j, "s3", null, "test", T0)).ok()).isTrue();
        Result move = apply(new MoveProfile(j, T0));
        assertThat(move.ok()).isFalse();
        assertThat(move.message()).contains("is not fenced");
        assertThat(serverOf("web")).isEqualTo("s1");
        // Observing "fenced" is not possible; only a confirmed power-off fences.
        assertThat(apply(new ObserveServer("s1", ServerState.FENCED, "trust me", T0)).ok()).isFalse();
        assertThat(apply(new ConfirmFence(j, "s1", "power off read back", T0)).ok()).isTrue();
        assertThat(apply(new MoveProfile(j, T0)).ok()).isTrue();
        assertThat(serverOf("web")).isEqualTo("s3");
    }

    @Test
    void reserveSpare_alreadyReservedByAnotherJob_isRefused() {
        long a = failoverJob();
        long b = apply(new CreateJob(JobType.FAILOVER, "db", "s2", "test", "why", T0)).job();
        assertThat(apply(new ReserveSpare(a, "s3", null, "test", T0)).ok()).isTrue();
        Result second = apply(new ReserveSpare(b, "s3", null, "test", T0));
        assertThat(second.ok()).isFalse();
        assertThat(second.message()).isEqualTo("s3 is reserved by job " + a);
    }

    @Test
    void startStep_afterItFinished_isRefused() {
        long j = failoverJob();
        assertThat(apply(new StartStep(j, 0, T0)).ok()).isTrue();
        assertThat(apply(new FinishStep(j, 0, Step.Status.DONE, "ok", T0)).ok()).isTrue();
        Result again = apply(new StartStep(j, 0, T0));
        assertThat(again.ok()).isFalse();
        assertThat(stepStatus(j, 0)).isEqualTo(Step.Status.DONE);
    }

    @Test
    void applyConfig_thatWouldOrphanARunningProfile_isRefusedWhole() {
        long j = failoverJob();
        apply(new ReserveSpare(j, "s3", null, "test", T0));
        apply(new ConfirmFence(j, "s1", "off", T0));
        apply(new MoveProfile(j, T0));
        apply(new StartStep(j, 0, T0));
        apply(new FinishStep(j, 0, Step.Status.FAILED, "stop here", T0));
        DataCenterConfig dc = Fixtures.dataCenter();
        // Drop s3 from the group's spares while web runs on it.
        DataCenterConfig next = new DataCenterConfig(dc.name(), dc.enclosures(), dc.servers(),
                List.of(new GroupSpec("g1", List.of("s1", "s2"), List.of(), null)), dc.profiles());
        var before = Fixtures.withoutIndex(m.snapshot());
        Result r = apply(new ApplyConfig(next, "test", T0));
        assertThat(r.ok()).isFalse();
        assertThat(r.message()).isEqualTo("profile web runs on s3, which the change removes from group g1 (it would be orphaned)");
        assertThat(Fixtures.withoutIndex(m.snapshot())).isEqualTo(before);
    }

    @Test
    void lock_toAServerItDoesNotRunOn_isRefusedWithWhere() {
        Result r = apply(new LockProfile("web", "s2", "op", T0));
        assertThat(r.ok()).isFalse();
        assertThat(r.message()).contains("runs on s1, not s2");
    }

    @Test
    void applyConfig_validChange_isAppliedAndAudited() {
        DataCenterConfig dc = Fixtures.dataCenter();
        var profiles = dc.profiles().stream().map(p -> p.id().equals("db")
                ? new io.understudy.model.config.ProfileSpec(p.id(), p.group(), p.home(), p.identity(), p.workload(), p.requirements(), 7,
                        io.understudy.model.config.FallbackMode.AUTOMATIC, p.protection())
                : p).toList();
        Result r = apply(new ApplyConfig(new DataCenterConfig(dc.name(), dc.enclosures(), dc.servers(), dc.groups(), profiles), "admin token 'ops'", T0));
        assertThat(r.ok()).as(r.message()).isTrue();
        int priority = m.read(s -> s.config().profile("db").orElseThrow().priority());
        assertThat(priority).isEqualTo(7);
        List<Change> changes = m.read(s -> s.changes());
        assertThat(changes.get(changes.size() - 1).by()).isEqualTo("admin token 'ops'");
    }

    /** Found in a flood of failing jobs: the newest 1,000 jobs only were kept, and the one an open alarm named went. */
    @Test
    void jobFloodPrunesTheJobAnOpenAlarmNames() {
        long first = failoverJob();
        apply(new StartStep(first, 0, T0));
        apply(new FinishStep(first, 0, Step.Status.FAILED, "fence failed", T0));
        apply(new io.understudy.state.command.RaiseAlarm(AlarmType.FENCE_FAILED, "s1", "failover job " + first + " failed at fence", T0));
        for (int i = 0; i < StateMachine.HISTORY + 10; i++) {
            Result r = apply(new CreateJob(JobType.FAILOVER, "web", "s1", "operator", "again", T0.plusSeconds(i)));
            assertThat(r.ok()).as(r.message()).isTrue();
            apply(new StartStep(r.job(), 0, T0.plusSeconds(i)));
            apply(new FinishStep(r.job(), 0, Step.Status.FAILED, "no", T0.plusSeconds(i)));
        }
        int kept = m.read(s -> s.jobs().size());
        Job named = m.read(s -> s.job(first));
        assertThat(kept).isLessThanOrEqualTo(StateMachine.HISTORY);
        assertThat(named).as("the job the open alarm names").isNotNull();
    }

    @Test
    void automaticJobRefusedWhileGroupInMaintenance() {
        apply(new io.understudy.state.command.SetMaintenance("g1", true, "test", T0));
        Result r = apply(new CreateJob(JobType.FAILOVER, "web", "s1", JobBudget.EVENT_HANDLING, "why", T0));
        assertThat(r.ok()).isFalse();
        assertThat(r.message()).contains("maintenance");
    }

    /** web in a lockstep pair (s1 primary, s3 twin); db alone in a hot group. */
    private void lockstepPair() {
        DataCenterConfig dc = Fixtures.dataCenter();
        var lockstep = new io.understudy.model.config.GroupPolicy(io.understudy.model.config.ProtectionLevel.LOCKSTEP,
                null, null, null, null, null, null, null, null, null, null, null, null, null);
        DataCenterConfig next = new DataCenterConfig(dc.name(), dc.enclosures(), dc.servers(),
                List.of(new GroupSpec("pair", List.of("s1"), List.of("s3"), lockstep), new GroupSpec("g1", List.of("s2"), List.of(), null)),
                dc.profiles().stream().map(p -> p.id().equals("web") ? new io.understudy.model.config.ProfileSpec(p.id(), "pair", p.home(),
                        p.identity(), p.workload(), p.requirements(), p.priority(), p.fallback(), null, null, List.of(), 7400) : p).toList());
        Result r = apply(new ApplyConfig(next, "test", T0));
        assertThat(r.ok()).as(r.message()).isTrue();
    }

    @Test
    void rePair_onlyALockstepProfilesOtherServer_running_andFree_isReserved_andTheJobMovesNothing() {
        lockstepPair();
        Result notRunning = apply(new CreateJob(JobType.REPAIR, "web", "s1", "op", "why", T0, "s3"));
        assertThat(notRunning.ok()).isFalse();
        assertThat(notRunning.message()).startsWith("twin s3 is").endsWith(", not running");
        apply(new ObserveServer("s1", ServerState.RUNNING, "up", T0));
        apply(new ObserveServer("s3", ServerState.RUNNING, "up", T0));
        apply(new ObserveServer("s2", ServerState.RUNNING, "up", T0));

        assertThat(apply(new CreateJob(JobType.REPAIR, "db", "s2", "op", "why", T0, "s3")).message())
                .isEqualTo("profile db is not lockstep; only a lockstep pair is re-paired");
        assertThat(apply(new CreateJob(JobType.REPAIR, "web", "s1", "op", "why", T0, "s2")).message())
                .isEqualTo("twin: expected the other server of group pair, got 's2'");
        assertThat(apply(new CreateJob(JobType.REPAIR, "web", "s3", "op", "why", T0, "s1")).message())
                .isEqualTo("profile web runs on s1, not on s3; the twin syncs from a running primary");

        Result ok = apply(new CreateJob(JobType.REPAIR, "web", "s1", "op", "why", T0, "s3"));
        assertThat(ok.ok()).as(ok.message()).isTrue();
        Long reserved = m.read(s -> s.server("s3").reservedBy());
        assertThat(reserved).isEqualTo(ok.job());
        assertThat(m.read(s -> s.job(ok.job()).steps()).stream().map(Step::name)).containsExactly("start-twin", "sync-twin");
        Result move = apply(new MoveProfile(ok.job(), T0));
        assertThat(move.ok()).isFalse();
        assertThat(move.message()).isEqualTo("job " + ok.job() + " re-pairs web; it moves nothing");
        assertThat(serverOf("web")).isEqualTo("s1");
        // One job per profile: a failover waits for the re-pair to end (its steps end it once the primary is down).
        assertThat(apply(new CreateJob(JobType.FAILOVER, "web", "s1", "test", "why", T0)).ok()).isFalse();
        apply(new StartStep(ok.job(), 0, T0));
        apply(new FinishStep(ok.job(), 0, Step.Status.FAILED, "the primary s1 is failed; its failover comes first", T0));
        Long released = m.read(s -> s.server("s3").reservedBy());
        assertThat(released).isNull();
        assertThat(serverOf("web")).isEqualTo("s1");
        assertThat(apply(new CreateJob(JobType.FAILOVER, "web", "s1", "test", "why", T0)).ok()).isTrue();
    }
}
