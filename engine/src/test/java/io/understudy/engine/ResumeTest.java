package io.understudy.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.understudy.drivers.Drivers;
import io.understudy.sim.Fault;
import io.understudy.state.Job;
import io.understudy.state.LocalStateStore;
import io.understudy.state.Step;
import io.understudy.state.command.Command;
import io.understudy.state.command.FinishStep;
import io.understudy.state.command.StartStep;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Invariant 4: a control plane that dies mid-job resumes it from the log, and never reruns a finished step. */
class ResumeTest {

    @ParameterizedTest
    @ValueSource(strings = {"fence", "select-spare", "activate"})
    void restartMidJob_resumesAtTheStepItStoodAt_andNeverRerunsFinishedSteps(String crashAt) {
        SimFixture f = new SimFixture().settled();
        f.fail("bl-2", Fault.POWER_LOSS);
        assertThat(f.runUntil(() -> !f.jobs().isEmpty() && stepOf(f.onlyJob(), crashAt) != Step.Status.PENDING, Duration.ofMinutes(2))).isTrue();
        Job before = f.onlyJob();
        assertThat(before.active()).isTrue();

        // The node dies: its engine stops; the log survives. The data center keeps running meanwhile.
        f.engine.leadershipLost();
        f.run(Duration.ofSeconds(2));
        LocalStateStore restarted = new LocalStateStore();
        List<Command> log = f.store.log();
        log.forEach(restarted::submit);
        Engine engine = new Engine(restarted, new Drivers(Map.of("sim", f.sim), f.sim, f.sim), f.clock, EngineSettings.DEFAULTS, Runnable::run, EngineListener.NONE);
        f.sim.addListener(engine.detector());
        restarted.announceLeadership();
        Duration step = Duration.ofMillis(100);
        for (int i = 0; i < 1200 && restarted.read(s -> s.job(before.id()).active()); i++) {
            f.clock.advance(step);
            f.assertSplitBrainFree();
        }

        Job after = restarted.read(s -> s.job(before.id()));
        assertThat(after.status()).as(after.message()).isEqualTo(Job.Status.SUCCEEDED);
        // Steps finished before the crash kept their times: they did not run again.
        for (int i = 0; i < before.steps().size(); i++) {
            if (before.steps().get(i).status() == Step.Status.DONE) assertThat(after.steps().get(i)).isEqualTo(before.steps().get(i));
        }
        // No step was started again after it finished, in the whole log.
        List<Command> all = restarted.log();
        for (int i = 0; i < all.size(); i++) {
            if (all.get(i) instanceof FinishStep fin && fin.outcome() == Step.Status.DONE) {
                for (Command later : all.subList(i + 1, all.size())) {
                    if (later instanceof StartStep st && st.job() == fin.job()) assertThat(st.step()).isNotEqualTo(fin.step());
                }
            }
        }
        assertThat(f.sim.holders("db-2")).containsExactly(after.target());
        int jobs = restarted.read(s -> s.jobs().size());
        assertThat(jobs).isEqualTo(1);
    }

    private static Step.Status stepOf(Job j, String name) {
        return j.steps().get(j.stepIndex(name)).status();
    }

    @Test
    void replay_ofTheSameLog_givesTheSameState() {
        SimFixture f = new SimFixture().settled();
        f.fail("dl-1", Fault.CRASH);
        f.fail("bl-1", Fault.POWER_LOSS);
        f.run(Duration.ofSeconds(60));
        LocalStateStore replica = new LocalStateStore();
        f.store.log().forEach(replica::submit);
        String a = f.store.read(s -> s.profiles().toString() + s.jobs() + s.alarms() + s.servers());
        String b = replica.read(s -> s.profiles().toString() + s.jobs() + s.alarms() + s.servers());
        assertThat(b).isEqualTo(a);
    }
}
