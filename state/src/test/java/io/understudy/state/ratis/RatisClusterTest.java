package io.understudy.state.ratis;

import static io.understudy.state.ratis.RatisTestSupport.state;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.understudy.state.Fixtures;
import io.understudy.state.ProfileRecord;
import io.understudy.state.Result;
import io.understudy.state.StateStore;
import io.understudy.state.ratis.RatisTestSupport.RecordingListener;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import org.apache.ratis.conf.RaftProperties;
import org.apache.ratis.server.RaftServerConfigKeys;
import org.apache.ratis.util.SizeInBytes;
import org.apache.ratis.util.ExitUtils;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Three members in one JVM on loopback ports: election, writes through a follower, leader loss. */
class RatisClusterTest {
    @TempDir
    Path d1;
    @TempDir
    Path d2;
    @TempDir
    Path d3;

    private final List<RatisStateStore> running = new ArrayList<>();
    private final Map<RatisStateStore, RecordingListener> listeners = new HashMap<>();

    @BeforeAll
    static void keepJvmAlive() {
        ExitUtils.disableSystemExit();
    }

    /** In parallel: each Ratis server takes about a second to close. */
    @AfterEach
    void closeAll() {
        CompletableFuture.allOf(running.stream().map(s -> CompletableFuture.runAsync(s::close)).toArray(CompletableFuture[]::new)).join();
    }

    @Test
    void leaderClosed_survivorsElectNewLeaderAndKeepState() throws Exception {
        for (RatisSettings s : RatisTestSupport.group(List.of(d1, d2, d3))) start(s);
        RatisStateStore leader = awaitOneLeader(running);
        long firstTerm = leader.term();
        within(5).until(() -> listeners.get(leader).snapshot().contains("ready:" + firstTerm));
        RatisStateStore follower = running.stream().filter(s -> s != leader).findFirst().orElseThrow();

        Result r = follower.submit(Fixtures.applyConfig());

        assertThat(r.ok()).as(r.message()).isTrue();
        ProfileRecord web = follower.read(s -> s.profile("web"));
        assertThat(web).as("the follower applied it before submit returned").isNotNull();
        within(5).until(() -> running.stream().map(RatisTestSupport::state).distinct().count() == 1);
        assertThat(listeners.get(follower).snapshot()).as("a follower never hears leaderReady").isEmpty();
        assertThat(listeners.get(leader).threads).allMatch(t -> t.startsWith("understudy-leadership-"));

        running.remove(leader);
        leader.close();
        assertThat(listeners.get(leader).snapshot()).containsExactly("ready:" + firstTerm, "lost");

        RatisStateStore next = awaitOneLeader(running);
        assertThat(next.term()).isGreaterThan(firstTerm);
        within(5).until(() -> listeners.get(next).snapshot().contains("ready:" + next.term()));
        RatisStateStore other = running.stream().filter(s -> s != next).findFirst().orElseThrow();
        assertThat(other.submit(Fixtures.alarm(1)).ok()).isTrue();
        within(5).until(() -> state(next).equals(state(other)));
    }

    @Test
    void start_afterLeaderPurgedMissingEntries_installsLeaderSnapshot() throws Exception {
        // Small segments and no purge gap, so the leader really drops the history the stopped member lacks.
        Consumer<RaftProperties> smallLog = p -> {
            RaftServerConfigKeys.Log.setSegmentSizeMax(p, SizeInBytes.valueOf("8KB"));
            RaftServerConfigKeys.Log.setPurgeGap(p, 1);
        };
        List<RatisSettings> group = RatisTestSupport.group(List.of(d1, d2, d3)).stream().map(s -> s.withSnapshotThreshold(20)).toList();
        for (RatisSettings s : group) start(s, smallLog);
        RatisStateStore leader = awaitOneLeader(running);
        leader.submit(Fixtures.applyConfig());
        RatisStateStore lagging = running.stream().filter(s -> s != leader).findFirst().orElseThrow();
        within(5).until(() -> state(lagging).equals(state(leader)));
        long laggingIndex = lagging.ratisMachine().appliedIndex();
        running.remove(lagging);
        lagging.close();

        for (int i = 0; i < 100; i++) leader.submit(Fixtures.alarm(i));
        assertThat(leader.division().getRaftLog().getStartIndex()).as("leader purged what the lagging member lacks")
                .isGreaterThan(laggingIndex + 1);
        RatisStateStore back = start(lagging.settings(), smallLog);

        within(10).until(() -> state(back).equals(state(leader)));
        assertThat(back.ratisMachine().loadedSnapshotIndex()).as("caught up from an installed snapshot").isGreaterThan(laggingIndex);
        assertThat(back.submit(Fixtures.alarm(1000)).ok()).isTrue();
    }

    @Test
    void submit_withoutQuorum_failsWithinTimeoutThenRecovers() throws Exception {
        List<RatisSettings> group = RatisTestSupport.group(List.of(d1, d2, d3)).stream()
                .map(s -> s.withRequestTimeout(Duration.ofSeconds(1))).toList();
        RatisStateStore store = start(group.get(0));
        long t0 = System.nanoTime();

        assertThatThrownBy(() -> store.submit(Fixtures.applyConfig()))
                .isInstanceOf(StateStore.StateException.class)
                .hasMessageMatching("ApplyConfig (timed out after 1s|refused: not the leader|could not be committed).*");
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(3));
        assertThat(store.isLeader()).isFalse();

        start(group.get(1)); // two of three: a quorum again
        awaitOneLeader(running);
        Result r = store.submit(Fixtures.applyConfig());
        assertThat(r.ok()).as("the same client works again after a failed submit").isTrue();
    }

    private RatisStateStore start(RatisSettings settings) throws Exception {
        return start(settings, p -> {});
    }

    private RatisStateStore start(RatisSettings settings, Consumer<RaftProperties> tuning) throws Exception {
        RatisStateStore store = RatisStateStore.start(settings, tuning);
        running.add(store);
        RecordingListener l = new RecordingListener();
        listeners.put(store, l);
        store.addLeadershipListener(l);
        return store;
    }

    /** Waits until exactly one of the stores says it leads, and returns it. */
    private static RatisStateStore awaitOneLeader(List<RatisStateStore> stores) {
        return within(10).until(() -> stores.stream().filter(RatisStateStore::isLeader).toList(), l -> l.size() == 1).get(0);
    }

    private static ConditionFactory within(int seconds) {
        return Awaitility.await().atMost(Duration.ofSeconds(seconds)).pollInterval(Duration.ofMillis(20));
    }
}
