package io.understudy.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.understudy.model.policy.SpareQualification;
import io.understudy.sim.Fault;
import io.understudy.state.Job;
import io.understudy.state.Step;
import io.understudy.state.command.Command;
import io.understudy.state.command.FinishStep;
import io.understudy.state.command.StartStep;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Random fault schedules against the whole engine on the simulator: faults, repairs, operator failovers and
 * fallbacks at random times. After every 100 ms of simulated time the invariants of DESIGN.md must hold.
 */
class InvariantProperties {

    record Action(int atSecond, String server, String kind) {}

    private static final List<String> SERVERS = List.of("bl-1", "bl-2", "bl-3", "bl-4", "dl-1", "dl-2", "dl-3", "dl-4",
            "bl-s1", "bl-s2", "dl-s1", "dl-s2");
    private static final List<String> KINDS = List.of("crash", "hang", "power-loss", "bmc-down", "hw-event", "stuck-power",
            "repair", "repair", "operator-failover", "operator-fallback");

    @Provide
    Arbitrary<List<Action>> schedules() {
        Arbitrary<Action> action = Combinators.combine(Arbitraries.integers().between(0, 240),
                Arbitraries.of(SERVERS), Arbitraries.of(KINDS)).as(Action::new);
        return action.list().ofMinSize(1).ofMaxSize(12);
    }

    /** The same, with operators' planned moves among the faults (to a spare, and back home). */
    @Provide
    Arbitrary<List<Action>> schedulesWithMoves() {
        List<String> kinds = new java.util.ArrayList<>(KINDS);
        kinds.addAll(List.of("operator-move", "operator-move", "operator-move-home"));
        Arbitrary<Action> action = Combinators.combine(Arbitraries.integers().between(0, 240),
                Arbitraries.of(SERVERS), Arbitraries.of(kinds)).as(Action::new);
        return action.list().ofMinSize(1).ofMaxSize(12);
    }

    @Property(tries = 25)
    void randomFaultsAndPlannedMoves_neverBreakInvariants1to4(@ForAll("schedulesWithMoves") List<Action> schedule) {
        run(schedule, false);
    }

    @Property(tries = 40)
    void randomFaults_neverBreakInvariants1to4(@ForAll("schedules") List<Action> schedule, @ForAll boolean fenceFirst) {
        run(schedule, fenceFirst);
    }

    /**
     * The first schedule of this seed once ended with a profile live on two servers: a server repaired while its
     * fence was on its way booted after the fence read off (the simulator's power-off ignored a power-on under way),
     * and a preempted profile was recorded down while it still ran on a spare that would not power off.
     */
    @Property(tries = 3, seed = "2999456811862124396")
    void splitBrainFoundWithSeed2999456811862124396(@ForAll("schedules") List<Action> schedule, @ForAll boolean fenceFirst) {
        run(schedule, fenceFirst);
    }

    private static void run(List<Action> schedule, boolean fenceFirst) {
        // Both step orders: spare first (default) and VCEM's fence first; nothing moves before the fence in either.
        var dc = DataCenters.demo();
        for (String g : List.of("cold", "hot")) dc = DataCenters.withPolicy(dc, g, p -> p.withFenceFirst(fenceFirst));
        SimFixture f = new SimFixture(dc, io.understudy.sim.SimTimings.FAST).settled();
        for (int second = 0; second <= 300; second++) {
            for (Action a : schedule) if (a.atSecond() == second) apply(f, a);
            for (int i = 0; i < 10; i++) {
                f.clock.advance(Duration.ofMillis(100));
                f.assertSplitBrainFree();                               // invariant 1
                assertReservationsExclusiveAndFitting(f);               // invariant 3
            }
        }
        assertFinishedStepsNeverRestarted(f.store.log());               // invariant 4
        assertNoMoveBeforeFence(f);                                      // invariant 2
    }

    private static void apply(SimFixture f, Action a) {
        switch (a.kind()) {
            case "repair" -> f.sim.repair(a.server());
            case "operator-failover" -> f.engine.operations().failover(a.server(), "property");
            case "operator-fallback" -> f.read(s -> s.profileOn(a.server())).ifPresent(p -> f.engine.operations().fallback(p.id(), "property"));
            case "operator-move" -> f.read(s -> s.profileOn(a.server())).ifPresent(p -> f.engine.operations().move(p.id(), null, "property"));
            case "operator-move-home" -> f.read(s -> s.profileOn(a.server())).ifPresent(p ->
                    f.engine.operations().move(p.id(), f.config.profiles().stream().filter(x -> x.id().equals(p.id())).findFirst().orElseThrow().home(), "property"));
            default -> f.fail(a.server(), Fault.parse(a.kind()));
        }
    }

    private static void assertReservationsExclusiveAndFitting(SimFixture f) {
        List<Job> active = f.read(s -> s.activeJobs());
        Set<String> targets = new HashSet<>();
        for (Job j : active) {
            if (j.target() != null) assertThat(targets.add(j.target())).as("spare %s reserved by two jobs", j.target()).isTrue();
        }
        f.read(s -> {
            s.profiles().forEach(p -> {
                if (p.server() == null) return;
                var spec = s.config().profile(p.id()).orElseThrow();
                assertThat(SpareQualification.fit(s.view(p.server()), spec)).as("%s on %s", p.id(), p.server()).isEmpty();
            });
            return null;
        });
    }

    private static void assertFinishedStepsNeverRestarted(List<Command> log) {
        Set<String> finished = new HashSet<>();
        for (Command c : log) {
            if (c instanceof FinishStep fin && fin.outcome() == Step.Status.DONE) finished.add(fin.job() + "/" + fin.step());
            if (c instanceof StartStep st) assertThat(finished).as("step restarted after it finished").doesNotContain(st.job() + "/" + st.step());
        }
    }

    /**
     * Every failover that moved a profile had its fence step done before the move step started; every planned move,
     * its source's release (confirmed by the agent, or a fence) done before.
     */
    private static void assertNoMoveBeforeFence(SimFixture f) {
        for (Job j : f.jobs()) {
            if (j.type() == io.understudy.state.JobType.MOVE && j.stepDone("move-profile")) {
                Step release = j.steps().get(j.stepIndex("release-source"));
                assertThat(release.status()).isEqualTo(Step.Status.DONE);
                assertThat(release.ended()).isBeforeOrEqualTo(j.steps().get(j.stepIndex("move-profile")).started());
            }
            if (j.type() != io.understudy.state.JobType.FAILOVER) continue;
            Step move = j.steps().get(j.stepIndex("move-profile"));
            if (move.status() != Step.Status.DONE) continue;
            Step fence = j.steps().get(j.stepIndex("fence"));
            assertThat(fence.status()).isEqualTo(Step.Status.DONE);
            assertThat(fence.ended()).isBeforeOrEqualTo(move.started());
        }
    }
}
