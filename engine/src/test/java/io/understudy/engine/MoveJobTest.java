package io.understudy.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.understudy.drivers.CallContext;
import io.understudy.drivers.DriverException;
import io.understudy.drivers.IdentityDriver;
import io.understudy.drivers.WorkloadDriver;
import io.understudy.model.ServerState;
import io.understudy.model.config.HookEvent;
import io.understudy.model.config.HookSpec;
import io.understudy.model.config.ProfileSpec;
import io.understudy.model.config.ProtectionLevel;
import io.understudy.sim.Fault;
import io.understudy.sim.SimDataCenter;
import io.understudy.sim.SimTimings;
import io.understudy.state.AlarmType;
import io.understudy.state.HookFiring;
import io.understudy.state.Job;
import io.understudy.state.JobType;
import io.understudy.state.Result;
import io.understudy.state.Step;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * Issue 15: planned moves off a healthy source — no fence unless the source will not confirm it released the identity,
 * a rollback on the source when a move fails before that, a preloaded switchover, and the move's hooks. Every advance
 * of the fixture checks invariant 1 against the simulator (no identity live on two servers).
 */
class MoveJobTest {
    private static final String BY = "alice";

    private static SimFixture fixture() {
        return new SimFixture(DataCenters.demo(), SimTimings.FAST).settled();
    }

    private static Result move(SimFixture f, String profile, String to) {
        return f.engine.operations().move(profile, to, BY);
    }

    private static Job runToEnd(SimFixture f, long job) {
        assertThat(f.runUntil(() -> !f.job(job).active(), Duration.ofMinutes(2))).as("job %d ended", job).isTrue();
        return f.job(job);
    }

    private static WorkloadDriver.Status workload(SimFixture f, String server, String profile) throws DriverException {
        ProfileSpec p = f.config.profiles().stream().filter(x -> x.id().equals(profile)).findFirst().orElseThrow();
        return f.sim.monitor(server, p, CallContext.probe(1));
    }

    private static boolean planned(SimFixture f, String profile) {
        return f.read(s -> s.profile(profile).planned());
    }

    private static Step step(Job j, String name) {
        return j.steps().get(j.stepIndex(name));
    }

    @Test
    void moveToASpare_stopsAndReleasesTheSource_thenActivates_withoutAFence_andTheProfileStaysThere() throws Exception {
        SimFixture f = fixture();
        Result r = move(f, "web-1", null);
        assertThat(r.ok()).as(r.message()).isTrue();
        assertThat(r.message()).contains("moves from dl-1 to dl-s1");
        Long reserved = f.read(s -> s.server("dl-s1").reservedBy());
        assertThat(reserved).as("reserved when the job is created").isEqualTo(r.job());

        Job j = runToEnd(f, r.job());
        assertThat(j.status()).as(j.message()).isEqualTo(Job.Status.SUCCEEDED);
        assertThat(j.type()).isEqualTo(JobType.MOVE);
        assertThat(j.steps()).extracting(Step::name).containsExactly("check-move", "stop-source", "sync-data", "release-source",
                "move-profile", "activate", "verify", "release");
        assertThat(step(j, "release-source").message()).contains("released the identity").doesNotContain("fenced");
        assertThat(f.serverOf("web-1")).isEqualTo("dl-s1");
        assertThat(f.sim.holders("web-1")).containsExactly("dl-s1");
        assertThat(workload(f, "dl-s1", "web-1")).isEqualTo(WorkloadDriver.Status.RUNNING);
        assertThat(workload(f, "dl-1", "web-1")).as("stopped on the source").isEqualTo(WorkloadDriver.Status.NOT_RUNNING);
        assertThat(f.stateOf("dl-1")).as("the source was never fenced").isEqualTo(ServerState.RUNNING);
        assertThat(f.sim.view("dl-1").state()).isEqualTo("running");
        assertThat(f.alarm(AlarmType.PROFILE_ON_SPARE, "web-1").orElseThrow().text()).contains("planned").contains("move job " + j.id());

        // web-1 falls back automatically after a failover; after an operator's planned move it stays where it was put.
        f.run(Duration.ofMinutes(5));
        assertThat(f.jobs()).hasSize(1);
        assertThat(f.serverOf("web-1")).isEqualTo("dl-s1");
        assertThat(planned(f, "web-1")).isTrue();

        // Moved back home by name: an ordinary placement again.
        Result back = move(f, "web-1", "dl1.mgmt");
        assertThat(back.ok()).as(back.message()).isTrue();
        assertThat(runToEnd(f, back.job()).status()).isEqualTo(Job.Status.SUCCEEDED);
        assertThat(f.serverOf("web-1")).isEqualTo("dl-1");
        assertThat(planned(f, "web-1")).isFalse();
        assertThat(f.alarm(AlarmType.PROFILE_ON_SPARE, "web-1")).isEmpty();
        assertThat(f.sim.holders("web-1")).containsExactly("dl-1");
    }

    @Test
    void moveIsRefusedUpFront_namingWhatIsWrong() {
        SimFixture f = fixture();
        assertThat(move(f, "web-9", null).message()).isEqualTo("unknown profile 'web-9'");
        assertThat(move(f, "web-1", "nowhere").message()).startsWith("no server matches 'nowhere'");
        assertThat(move(f, "web-1", "bl-s1").message()).isEqualTo("bl-s1 is not a server of group hot (a profile moves within its group)");
        assertThat(move(f, "web-1", "dl-2").message()).isEqualTo("dl-2 cannot take web-1: it runs profile web-2");
        assertThat(move(f, "web-1", "dl-1").message()).isEqualTo("profile web-1 already runs on dl-1");
        Result first = move(f, "web-1", "dl-s1");
        assertThat(first.ok()).isTrue();
        assertThat(move(f, "web-2", "dl-s1").message()).isEqualTo("dl-s1 cannot take web-2: reserved by job " + first.job());
        assertThat(move(f, "web-1", "dl-s2").message()).isEqualTo("profile web-1 already has job " + first.job() + " running");
        assertThat(f.jobs()).hasSize(1);
    }

    @Test
    void moveOffAFailedSource_isRefused_aFailoverFencesIt() {
        SimFixture f = fixture();
        f.fail("dl-3", Fault.POWER_LOSS);
        assertThat(f.runUntil(() -> f.jobs().size() == 1 && !f.onlyJob().active(), Duration.ofMinutes(2))).isTrue();
        f.sim.repair("dl-3");
        // web-3 runs on a spare now; its home dl-3 is being repaired: a move home is refused until dl-3 runs.
        String spare = f.serverOf("web-3");
        assertThat(move(f, "web-3", "dl-3").message()).startsWith("dl-3 cannot take web-3: it is ");
        assertThat(spare).startsWith("dl-s");
    }

    /** An agent that says it released the identity of {@code profile} on {@code server} but keeps it. */
    private static Function<SimDataCenter, IdentityDriver> keepsIdentity(String server, boolean refuse) {
        return sim -> new IdentityDriver() {
            @Override
            public void assign(String s, ProfileSpec p, CallContext ctx) throws DriverException {
                sim.assign(s, p, ctx);
            }

            @Override
            public void release(String s, ProfileSpec p, CallContext ctx) throws DriverException {
                if (!s.equals(server)) sim.release(s, p, ctx);
                else if (refuse) throw new DriverException(DriverException.Kind.REFUSED, "agent of " + s + ": release refused (interface busy)");
            }

            @Override
            public boolean holds(String s, ProfileSpec p, CallContext ctx) throws DriverException {
                return sim.holds(s, p, ctx);
            }
        };
    }

    @Test
    void sourceThatDoesNotReleaseTheIdentity_isFencedBeforeTheTargetTakesOver() {
        SimFixture f = new SimFixture(DataCenters.demo(), SimTimings.FAST, (sim, clock) -> sim, keepsIdentity("dl-1", false)).settled();
        Result r = move(f, "web-1", null);
        Job j = runToEnd(f, r.job());

        assertThat(j.status()).as(j.message()).isEqualTo(Job.Status.SUCCEEDED);
        assertThat(step(j, "release-source").message()).contains("did not confirm it released the identity").contains("fenced: power off confirmed");
        assertThat(f.stateOf("dl-1")).isEqualTo(ServerState.FENCED);
        assertThat(f.sim.view("dl-1").state()).isEqualTo("off");
        Instant fenced = step(j, "release-source").ended();
        assertThat(step(j, "activate").started()).as("the target takes over only after the fence").isAfterOrEqualTo(fenced);
        assertThat(f.sim.holders("web-1")).containsExactly("dl-s1");
    }

    @Test
    void sourceThatRefusesToReleaseAndCannotBeFenced_rollsBack_theProfileRunsOnTheSourceAgain() throws Exception {
        SimFixture f = new SimFixture(DataCenters.demo(), SimTimings.FAST, (sim, clock) -> sim, keepsIdentity("dl-1", true)).settled();
        f.fail("dl-1", Fault.STUCK_POWER);
        Result r = move(f, "web-1", "dl-s2");
        Job j = runToEnd(f, r.job());

        assertThat(j.status()).isEqualTo(Job.Status.FAILED);
        assertThat(j.message()).contains("release-source").contains("nothing was moved")
                .contains("rolled back: web-1 runs on dl-1 again");
        assertThat(step(j, "move-profile").status()).isEqualTo(Step.Status.PENDING);
        assertThat(f.serverOf("web-1")).isEqualTo("dl-1");
        assertThat(f.sim.holders("web-1")).containsExactly("dl-1");
        f.run(Duration.ofSeconds(5));
        assertThat(workload(f, "dl-1", "web-1")).as("started again (it takes a moment to answer)").isEqualTo(WorkloadDriver.Status.RUNNING);
        Long reserved = f.read(s -> s.server("dl-s2").reservedBy());
        assertThat(reserved).as("the target is free again").isNull();
        assertThat(f.alarm(AlarmType.FENCE_FAILED, "dl-1")).isPresent();
    }

    @Test
    void workloadThatWillNotStop_endsTheMove_andTheSourceRunsItAgain() throws Exception {
        SimFixture f = new SimFixture(DataCenters.demo(), SimTimings.FAST, (sim, clock) -> sim, sim -> sim, sim -> new RefusingWorkload(sim).refuseStop("dl-1"::equals, "database busy")).settled();
        Result r = move(f, "web-1", null);
        Job j = runToEnd(f, r.job());

        assertThat(j.status()).isEqualTo(Job.Status.FAILED);
        assertThat(j.message()).contains("stop-source").contains("database busy").contains("rolled back");
        assertThat(f.serverOf("web-1")).isEqualTo("dl-1");
        assertThat(f.sim.holders("web-1")).containsExactly("dl-1");
        assertThat(workload(f, "dl-1", "web-1")).isEqualTo(WorkloadDriver.Status.RUNNING);
        assertThat(f.alarm(AlarmType.PROFILE_DOWN, "web-1")).isEmpty();
        assertThat(f.stateOf("dl-1")).isEqualTo(ServerState.RUNNING);
    }

    @Test
    void preloadedSwitchover_theStandbyTakesTheAlias_andTheOldPrimaryKeepsItsWorkloadAsTheStandby() throws Exception {
        SimFixture f = new SimFixture(DataSyncTest.config(ProtectionLevel.PRELOADED), SimTimings.FAST).settled();
        f.run(SpareWatcher.EVERY.plusSeconds(1));
        assertThat(workload(f, "dl-s1", "web-1")).as("the standby runs the workload already").isEqualTo(WorkloadDriver.Status.RUNNING);

        Job j = runToEnd(f, move(f, "web-1", null).job());
        assertThat(j.status()).as(j.message()).isEqualTo(Job.Status.SUCCEEDED);
        assertThat(j.target()).isEqualTo("dl-s1");
        assertThat(step(j, "stop-source").message()).contains("keeps running");
        assertThat(step(j, "activate").message()).contains("already ran");
        assertThat(f.sim.holders("web-1")).containsExactly("dl-s1");
        assertThat(workload(f, "dl-1", "web-1")).isEqualTo(WorkloadDriver.Status.RUNNING);
        assertThat(f.stateOf("dl-1")).isEqualTo(ServerState.RUNNING);
    }

    @Test
    void preMoveHook_vetoesBeforeAnythingStops_andPostMoveIsTold() {
        HookSpec veto = new HookSpec("window", List.of(HookEvent.PRE_MOVE),
                List.of("/bin/sh", "-c", "echo 'change freeze until 18:00'; exit 3"), null, null, null, null, null);
        HookSpec told = new HookSpec("told", List.of(HookEvent.POST_MOVE), List.of("/bin/true"), null, null, null, null, null);
        SimFixture f = new SimFixture(DataCenters.withHooks(DataCenters.demo(), veto, told), SimTimings.FAST).settled();
        Job j = runToEnd(f, move(f, "web-1", null).job());

        assertThat(j.status()).isEqualTo(Job.Status.FAILED);
        assertThat(j.steps()).extracting(Step::name).startsWith("check-move", "pre-move-hook", "stop-source");
        assertThat(j.message()).contains("vetoed by pre-move hook window").contains("change freeze").contains("nothing was stopped or moved")
                .doesNotContain("rolled back");
        assertThat(step(j, "stop-source").status()).isEqualTo(Step.Status.PENDING);
        assertThat(f.alarm(AlarmType.FAILOVER_FAILED, "web-1")).as("a vetoed move is an answer, not an alarm").isEmpty();
        assertThat(f.sim.holders("web-1")).containsExactly("dl-1");
        HookFiring post = f.read(s -> List.copyOf(s.hookEvents())).stream().filter(h -> h.event() == HookEvent.POST_MOVE).findFirst().orElseThrow();
        assertThat(post.variables()).containsEntry("status", "failed").containsEntry("job_type", "move").containsEntry("target", "dl-s1");
    }
}
