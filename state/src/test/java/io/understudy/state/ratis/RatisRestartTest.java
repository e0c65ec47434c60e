package io.understudy.state.ratis;

import static io.understudy.state.Fixtures.T0;
import static io.understudy.state.ratis.RatisTestSupport.state;
import static org.assertj.core.api.Assertions.assertThat;

import io.understudy.state.ClusterState;
import io.understudy.state.Fixtures;
import io.understudy.state.JobType;
import io.understudy.state.Result;
import io.understudy.state.Step;
import io.understudy.state.command.CreateJob;
import io.understudy.state.command.FinishStep;
import io.understudy.state.command.StartStep;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.apache.ratis.util.ExitUtils;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A single node closed and reopened on the same data directory: from the log alone, and from snapshots. */
class RatisRestartTest {
    @TempDir
    Path dir;

    @BeforeAll
    static void keepJvmAlive() {
        ExitUtils.disableSystemExit();
    }

    @Test
    void submit_afterRestart_keepsStateAndContinues() throws Exception {
        RatisSettings settings = RatisTestSupport.singleNode(dir).withSnapshotThreshold(0); // the whole log replays
        ClusterState.Snapshot before;
        long job;
        long termBefore;
        try (RatisStateStore store = RatisStateStore.start(settings)) {
            store.submit(Fixtures.applyConfig());
            job = store.submit(new CreateJob(JobType.FAILOVER, "web", "s1", "operator", "test", T0)).job();
            store.submit(new StartStep(job, 0, T0.plusSeconds(1)));
            for (int i = 0; i < 20; i++) store.submit(Fixtures.alarm(i));
            before = state(store);
            termBefore = store.term();
        }

        try (RatisStateStore store = RatisStateStore.start(settings)) {
            assertThat(store.isLeader()).as("a single node leads when start returns").isTrue();
            assertThat(state(store)).isEqualTo(before);
            assertThat(store.ratisMachine().appliesSinceStart()).as("no snapshot: all 23 commands replayed").isEqualTo(23);
            assertThat(store.term()).isGreaterThan(termBefore);

            Result next = store.submit(new FinishStep(job, 0, Step.Status.DONE, "checked", T0.plusSeconds(2)));

            assertThat(next.ok()).as(next.message()).isTrue();
            int step = store.read(s -> s.job(job).currentStep());
            assertThat(step).isEqualTo(1);
            assertThat(state(store).appliedIndex()).isGreaterThan(before.appliedIndex());
        }
    }

    @Test
    void start_afterSnapshots_loadsSnapshotAndAppliesOnlyTheTail() throws Exception {
        RatisSettings snapshotting = RatisTestSupport.singleNode(dir).withSnapshotThreshold(50);
        RatisSettings logOnly = snapshotting.withSnapshotThreshold(0);
        ClusterState.Snapshot before;
        long lastIndex;
        try (RatisStateStore store = RatisStateStore.start(snapshotting)) {
            store.submit(Fixtures.applyConfig());
            for (int i = 0; i < 120; i++) store.submit(Fixtures.alarm(i));
            before = state(store);
            lastIndex = store.ratisMachine().appliedIndex();
        }
        assertThat(snapshotFiles()).isNotEmpty().hasSizeLessThanOrEqualTo(RatisSettings.SNAPSHOTS_RETAINED);

        // Second run writes ten commands to the log only, so the third run must load the snapshot and replay just them.
        ClusterState.Snapshot after;
        try (RatisStateStore store = RatisStateStore.start(logOnly)) {
            assertThat(store.ratisMachine().loadedSnapshotIndex()).isGreaterThan(lastIndex - 50);
            assertThat(store.ratisMachine().appliesSinceStart()).isLessThan(50);
            assertThat(state(store)).isEqualTo(before);
            for (int i = 0; i < 10; i++) store.submit(Fixtures.alarm(1000 + i));
            after = state(store);
        }
        try (RatisStateStore store = RatisStateStore.start(logOnly)) {
            assertThat(store.ratisMachine().appliesSinceStart()).isEqualTo(10);
            assertThat(state(store)).isEqualTo(after);
        }
    }

    private List<Path> snapshotFiles() throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(p -> p.getFileName().toString().matches("snapshot\\.\\d+_\\d+")).toList();
        }
    }
}
