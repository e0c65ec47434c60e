package io.understudy.engine.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.understudy.sim.DemoDataCenter;
import io.understudy.sim.Fault;
import io.understudy.sim.SimTimings;
import io.understudy.state.Job;
import io.understudy.state.Step;
import io.understudy.state.command.Command;
import io.understudy.state.command.StartStep;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.ratis.util.ExitUtils;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Real Raft groups of 3 and 5 under the engine: the leader is killed before, during and after the steps of a
 * failover. Every job completes exactly once, only the step in flight may run twice, a leader change alone fails
 * nothing over (invariant 5), and the survivors end with the same state.
 */
class ClusterFailoverTest {
    private static final List<String> PROFILES = DemoDataCenter.build(4).profiles().stream().map(p -> p.id()).toList();

    @TempDir
    Path dir;

    @BeforeAll
    static void keepJvm() {
        ExitUtils.disableSystemExit();
    }

    @ParameterizedTest(name = "{0} nodes, leader killed at {1}")
    @CsvSource({"3, check-group", "3, fence", "3, select-spare", "3, activate", "3, verify", "3, after", "5, fence", "5, activate"})
    void leaderKilled_duringFailover_jobCompletesOnceOnNewLeader(int size, String killAt) throws Exception {
        try (ControlPlaneCluster c = new ControlPlaneCluster(size, dir, DemoDataCenter.build(4), SimTimings.DEFAULTS)) {
            c.runUntil(() -> false, Duration.ofSeconds(12), PROFILES);   // the detector observes every server
            c.sim.inject("bl-2", Fault.POWER_LOSS);
            boolean reached = c.runUntil(() -> at(c, killAt), Duration.ofMinutes(3), PROFILES);
            assertThat(reached).as("job reached " + killAt).isTrue();
            long termBefore = c.leader().store.term();
            c.leader().kill();

            ControlPlaneCluster.Node next = c.leader();
            assertThat(next.store.term()).isGreaterThan(termBefore);
            boolean ended = c.runUntil(() -> c.read(s -> s.jobs().stream().noneMatch(Job::active)), Duration.ofMinutes(5), PROFILES);
            assertThat(ended).as("job ended on the new leader %s: %s; progress %s", next.index,
                    c.read(s -> s.jobs().toString()), next.engine.jobs().progress(1)).isTrue();

            List<Job> jobs = c.read(s -> List.copyOf(s.jobs()));
            assertThat(jobs).hasSize(1);
            Job job = jobs.get(0);
            assertThat(job.status()).as(job.message()).isEqualTo(Job.Status.SUCCEEDED);
            assertThat(job.steps()).allMatch(st -> st.status() == Step.Status.DONE);
            assertThat(c.sim.holders("db-2")).containsExactly(job.target());
            assertStartedOnceExceptInFlight(c.committed, job.id(), killAt);
            assertSurvivorsAgree(c);
        }
    }

    @Test
    void leaderChanges_alone_causeNoFailover() throws Exception {
        try (ControlPlaneCluster c = new ControlPlaneCluster(3, dir, DemoDataCenter.build(4), SimTimings.FAST)) {
            c.runUntil(() -> false, Duration.ofSeconds(12), PROFILES);
            for (int round = 0; round < 3; round++) {
                ControlPlaneCluster.Node old = c.leader();
                old.kill();
                c.leader();
                // Longer than every failure timeout: the new leader must not convict the servers it has not heard yet.
                c.runUntil(() -> false, Duration.ofSeconds(8), PROFILES);
                old.start();
                c.runUntil(() -> false, Duration.ofSeconds(2), PROFILES);
            }
            long jobs = c.read(s -> (long) s.jobs().size());
            long down = c.read(s -> s.servers().stream().filter(r -> r.state().isDown()).count());
            assertThat(jobs).isZero();
            assertThat(down).isZero();
            assertSurvivorsAgree(c);
        }
    }

    @Test
    void nodeRestarted_withItsDataDirectory_catchesUp() throws Exception {
        try (ControlPlaneCluster c = new ControlPlaneCluster(3, dir, DemoDataCenter.build(4), SimTimings.FAST)) {
            c.runUntil(() -> false, Duration.ofSeconds(12), PROFILES);
            ControlPlaneCluster.Node follower = c.nodes.stream().filter(n -> n != c.leader()).findFirst().orElseThrow();
            follower.kill();
            c.sim.inject("dl-1", Fault.CRASH);
            assertThat(c.runUntil(() -> c.read(s -> s.jobs().stream().anyMatch(j -> !j.active())), Duration.ofSeconds(60), PROFILES)).isTrue();
            follower.start();
            assertSurvivorsAgree(c);
            long jobs = follower.store.read(s -> (long) s.jobs().size());
            assertThat(jobs).isEqualTo(1);
        }
    }

    /** A member restarted with an empty data directory (same id) is fed the log again and converges. */
    @Test
    void nodeRestarted_withoutItsDataDirectory_catchesUp() throws Exception {
        try (ControlPlaneCluster c = new ControlPlaneCluster(3, dir, DemoDataCenter.build(4), SimTimings.FAST)) {
            c.runUntil(() -> false, Duration.ofSeconds(12), PROFILES);
            c.sim.inject("dl-1", Fault.CRASH);
            assertThat(c.runUntil(() -> c.read(s -> s.jobs().stream().anyMatch(j -> !j.active())), Duration.ofSeconds(60), PROFILES)).isTrue();
            ControlPlaneCluster.Node follower = c.nodes.stream().filter(n -> n != c.leader()).findFirst().orElseThrow();
            follower.kill();
            Path data = dir.resolve("n" + (follower.index + 1));
            try (var walk = java.nio.file.Files.walk(data)) {
                for (Path x : walk.sorted(java.util.Comparator.reverseOrder()).toList()) java.nio.file.Files.delete(x);
            }
            java.nio.file.Files.createDirectories(data);
            follower.start();
            assertSurvivorsAgree(c);
            long jobs = follower.store.read(s -> (long) s.jobs().size());
            assertThat(jobs).isEqualTo(1);
        }
    }

    private static boolean at(ControlPlaneCluster c, String step) {
        List<Job> jobs = c.read(s -> List.copyOf(s.jobs()));
        if (jobs.isEmpty()) return false;
        Job j = jobs.get(0);
        if (step.equals("after")) return !j.active();
        int i = j.stepIndex(step);
        return j.steps().get(i).status() == Step.Status.RUNNING || j.steps().get(i).status().finished();
    }

    /** Each step's start was committed once — twice at most for the step that was running when the leader died. */
    private static void assertStartedOnceExceptInFlight(List<Command> committed, long job, String killAt) {
        Map<Integer, Integer> starts = new HashMap<>();
        synchronized (committed) {
            for (Command cmd : committed) if (cmd instanceof StartStep s && s.job() == job) starts.merge(s.step(), 1, Integer::sum);
        }
        int twice = 0;
        for (var e : starts.entrySet()) {
            assertThat(e.getValue()).as("starts of step %d", e.getKey()).isBetween(1, 2);
            if (e.getValue() == 2) twice++;
        }
        assertThat(twice).as("steps run again after the leader change").isLessThanOrEqualTo(1);
    }

    /** Every running node converges on the same state; a node restarted empty may need a while to catch up. */
    private static void assertSurvivorsAgree(ControlPlaneCluster c) {
        c.settle();
        List<String> views = List.of();
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (System.nanoTime() < deadline) {
            views = c.up().stream().map(n -> n.store.read(s -> s.servers().toString() + s.profiles() + s.jobs() + s.alarms())).toList();
            List<String> seen = views;
            if (seen.stream().allMatch(v -> v.equals(seen.get(0)))) return;
            ControlPlaneCluster.sleep(100);
        }
        List<String> last = views;
        assertThat(last).allMatch(v -> v.equals(last.get(0)));
    }

}
