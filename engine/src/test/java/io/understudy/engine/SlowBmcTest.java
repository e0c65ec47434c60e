package io.understudy.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.understudy.drivers.Drivers;
import io.understudy.sim.AwkwardBmc;
import io.understudy.sim.DemoDataCenter;
import io.understudy.sim.Fault;
import io.understudy.sim.SimTimings;
import io.understudy.state.Job;
import io.understudy.state.LocalStateStore;
import io.understudy.state.Step;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Jobs against BMCs as awkward as real ones (issue 10): power actions that take seconds and start over on each new
 * order, and BMCs that answer "operation in progress". All on the driven clock; the BMCs count the orders they got.
 */
class SlowBmcTest {
    private AwkwardBmc bmcs;

    private SimFixture fixture() {
        SimFixture f = new SimFixture(DemoDataCenter.build(4), SimTimings.FAST, (sim, clock) -> bmcs = new AwkwardBmc(sim, clock));
        return f.settled();
    }

    private static boolean ended(SimFixture f) {
        return !f.jobs().isEmpty() && !f.onlyJob().active();
    }

    private static Step step(Job job, String name) {
        return job.steps().get(job.stepIndex(name));
    }

    @Test
    void fenceOrdersOnceWhileTheBmcIsSlow() {
        // A BMC that takes 3 s to cut power and starts over on each order: ordering every poll never got it off.
        SimFixture f = fixture();
        bmcs.mode(AwkwardBmc.Mode.RESTARTS, Duration.ofSeconds(3));
        int before = bmcs.orders("dl-2");
        f.fail("dl-2", Fault.CRASH);
        assertThat(f.runUntil(() -> ended(f), Duration.ofMinutes(2))).as("job ended").isTrue();

        Job job = f.onlyJob();
        assertThat(job.status()).as(job.message()).isEqualTo(Job.Status.SUCCEEDED);
        assertThat(step(job, "fence").message()).contains("power off confirmed by BMC");
        assertThat(bmcs.orders("dl-2") - before).as("power orders to the slow BMC").isEqualTo(1);
        assertThat(f.sim.holders("web-2")).containsExactly(job.target());
    }

    @Test
    void fenceAgainstAnActionLongerThanTheBackOff_reordersAFewTimesAndCompletes() {
        // 8 s per action: the first re-order (after 5 s) starts it over, the next comes 10 s later, by when it is off.
        SimFixture f = fixture();
        bmcs.mode(AwkwardBmc.Mode.RESTARTS, Duration.ofSeconds(8));
        int before = bmcs.orders("dl-2");
        f.fail("dl-2", Fault.CRASH);
        assertThat(f.runUntil(() -> ended(f), Duration.ofMinutes(2))).as("job ended").isTrue();

        Job job = f.onlyJob();
        assertThat(job.status()).as(job.message()).isEqualTo(Job.Status.SUCCEEDED);
        assertThat(bmcs.orders("dl-2") - before).as("power orders to the slow BMC").isEqualTo(2);
        assertThat(step(job, "fence").message()).contains("and 2 orders");
    }

    @Test
    void fenceResumedByANewLeader_ordersOnceOnItsFirstRun_thenWaits() {
        // What a leader remembers of its orders is not replicated: the new one orders once (idempotent) and paces itself.
        SimFixture f = fixture();
        bmcs.mode(AwkwardBmc.Mode.RESTARTS, Duration.ofSeconds(3));
        int before = bmcs.orders("dl-2");
        f.fail("dl-2", Fault.CRASH);
        assertThat(f.runUntil(() -> !f.jobs().isEmpty() && step(f.onlyJob(), "fence").status() == Step.Status.RUNNING, Duration.ofMinutes(1))).isTrue();
        long id = f.onlyJob().id();
        f.engine.leadershipLost();
        f.run(Duration.ofSeconds(1));

        LocalStateStore restarted = new LocalStateStore();
        f.store.log().forEach(restarted::submit);
        Engine engine = new Engine(restarted, new Drivers(Map.of("sim", bmcs), f.sim, f.sim), f.clock, EngineSettings.DEFAULTS, Runnable::run, EngineListener.NONE);
        f.sim.addListener(engine.detector());
        restarted.announceLeadership();
        f.clock.advanceUntil(() -> !restarted.read(s -> s.job(id).active()), Duration.ofMillis(100), Duration.ofMinutes(2));

        Job job = restarted.read(s -> s.job(id));
        assertThat(job.status()).as(job.message()).isEqualTo(Job.Status.SUCCEEDED);
        assertThat(bmcs.orders("dl-2") - before).as("one order from each leader").isEqualTo(2);
    }

    @Test
    void busyBmcIsRetriedNotHopeless() {
        // The BMC is busy with an action of its own when the fence comes: it answers "operation in progress".
        SimFixture f = fixture();
        bmcs.mode(AwkwardBmc.Mode.BUSY, Duration.ofSeconds(3));
        int before = bmcs.orders("dl-2");
        bmcs.busyFor("dl-2", Duration.ofSeconds(4));
        f.fail("dl-2", Fault.CRASH);
        assertThat(f.runUntil(() -> ended(f), Duration.ofMinutes(2))).as("job ended").isTrue();

        Job job = f.onlyJob();
        assertThat(job.status()).as(job.message()).isEqualTo(Job.Status.SUCCEEDED);
        assertThat(step(job, "fence").message()).contains("power off confirmed by BMC");
        // Asked again after the back-off, not on every poll while it was busy.
        assertThat(bmcs.orders("dl-2") - before).as("power orders to the busy BMC").isEqualTo(2);
    }

    @Test
    void coldSparePowerOnIsNotResentEveryPoll() {
        // A cold spare whose BMC takes 3 s to power on and starts over on each order: On every poll kept it off.
        SimFixture f = fixture();
        bmcs.mode(AwkwardBmc.Mode.RESTARTS, Duration.ofSeconds(3));
        int before = bmcs.orders("bl-s1");
        f.fail("bl-2", Fault.POWER_LOSS);
        assertThat(f.runUntil(() -> ended(f), Duration.ofMinutes(2))).as("job ended").isTrue();

        Job job = f.onlyJob();
        assertThat(job.status()).as(job.message()).isEqualTo(Job.Status.SUCCEEDED);
        assertThat(job.target()).isEqualTo("bl-s1");
        assertThat(step(job, "activate").message()).contains("(cold)");
        assertThat(bmcs.orders("bl-s1") - before).as("power orders to the spare's slow BMC").isEqualTo(1);
        assertThat(f.sim.holders("db-2")).containsExactly("bl-s1");
    }
}
