package io.understudy.state;

import static io.understudy.state.Fixtures.T0;
import static org.assertj.core.api.Assertions.assertThat;

import io.understudy.model.config.GroupPolicy;
import io.understudy.state.command.CreateJob;
import io.understudy.state.command.FinishStep;
import io.understudy.state.command.SetMaintenance;
import io.understudy.state.command.StartStep;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Invariant 6 against random fault sequences: whatever the faults, automatic jobs of one kind for a profile back
 * off after each failure and, between two resets (a success or an operator's job), at most {@code retryLimit} of
 * them are created within any {@code retryWindow}; none while the group is in maintenance.
 */
class JobBudgetProperties {
    static final GroupPolicy POLICY = GroupPolicy.DEFAULTS; // back-off 30 s, limit 3, window 1 h

    /** One thing that happens: time passes, then someone asks for a job that ends as given. */
    record Event(Duration after, boolean automatic, boolean succeeds, Duration runs, boolean maintenance) {}

    @Provide
    Arbitrary<List<Event>> schedules() {
        Arbitrary<Event> e = Combinators.combine(
                Arbitraries.longs().between(0, 1_800).map(Duration::ofSeconds),
                Arbitraries.integers().between(0, 9).map(i -> i < 8),   // mostly automatic
                Arbitraries.integers().between(0, 9).map(i -> i == 0),  // mostly failing
                Arbitraries.longs().between(0, 120).map(Duration::ofSeconds),
                Arbitraries.integers().between(0, 19).map(i -> i == 0)).as(Event::new);
        return e.list().ofMinSize(1).ofMaxSize(80);
    }

    record Created(Instant at, boolean automatic, boolean succeeded) {}

    @Property(tries = 300)
    void automaticJobsBackOffAndAreCapped(@ForAll("schedules") List<Event> events) {
        StateMachine m = new StateMachine();
        long[] index = {0};
        java.util.function.Function<io.understudy.state.command.Command, Result> apply = c -> m.apply(c, index[0]++);
        assertThat(apply.apply(Fixtures.applyConfig()).ok()).isTrue();
        Instant now = T0;
        boolean maintenance = false;
        List<Created> created = new ArrayList<>();
        for (Event e : events) {
            now = now.plus(e.after());
            if (e.maintenance() != maintenance) {
                maintenance = e.maintenance();
                apply.apply(new SetMaintenance("g1", maintenance, "test", now));
            }
            String by = e.automatic() ? JobBudget.EVENT_HANDLING : "operator alice";
            Result r = apply.apply(new CreateJob(JobType.FAILOVER, "web", "s1", by, "fault", now));
            if (!r.ok()) continue;
            assertThat(maintenance && e.automatic()).as("automatic job created in maintenance").isFalse();
            created.add(new Created(now, e.automatic(), e.succeeds()));
            Instant end = now.plus(e.runs());
            finish(apply, r.job(), end, e.succeeds());
            now = end;
        }
        checkBound(created);
    }

    private static void finish(java.util.function.Function<io.understudy.state.command.Command, Result> apply, long job,
                               Instant at, boolean succeeds) {
        int steps = JobType.FAILOVER.steps().size();
        for (int i = 0; i < steps; i++) {
            assertThat(apply.apply(new StartStep(job, i, at)).ok()).isTrue();
            Step.Status outcome = succeeds ? Step.Status.DONE : Step.Status.FAILED;
            assertThat(apply.apply(new FinishStep(job, i, outcome, "step " + i + " " + outcome, at)).ok()).isTrue();
            if (!succeeds) return;
        }
    }

    /** Between resets: spaced by the back-off, and never more than the limit within one window. */
    private static void checkBound(List<Created> created) {
        List<Created> run = new ArrayList<>();
        for (Created c : created) {
            if (!c.automatic()) {
                run.clear();
                continue;
            }
            if (!run.isEmpty()) {
                Created previous = run.get(run.size() - 1);
                assertThat(Duration.between(previous.at(), c.at())).as("back-off after a failed automatic job")
                        .isGreaterThanOrEqualTo(POLICY.retryBackoff());
            }
            run.add(c);
            long inWindow = run.stream().filter(x -> x.at().isAfter(c.at().minus(POLICY.retryWindow()))).count();
            assertThat(inWindow).as("failed automatic jobs within one window").isLessThanOrEqualTo(POLICY.retryLimit());
            if (c.succeeded()) run.clear();
        }
    }
}
