package io.understudy.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.understudy.state.Alarm;
import io.understudy.state.AlarmType;
import io.understudy.state.ClusterState;
import io.understudy.state.ClusterStatus;
import io.understudy.state.LocalStateStore;
import io.understudy.state.Result;
import io.understudy.state.StateStore;
import io.understudy.state.command.Command;
import io.understudy.testkit.DrivenScheduler;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/** The alarm an operator sees when a control-plane member answers but is not fed, on a driven clock. */
class MemberWatcherTest {
    final DrivenScheduler clock = new DrivenScheduler();
    final LocalStateStore local = new LocalStateStore();
    /** What the leader n1 sees: the commit index and n3's match index and last contact. */
    long commit = 2130;
    long match3 = 2130;
    long contact3 = 40;
    String leader = "n1";
    final StateStore store = new StateStore() {
        public Result submit(Command command) { return local.submit(command); }
        public <T> T read(Function<ClusterState, T> reader) { return local.read(reader); }
        public boolean isLeader() { return true; }
        public void awaitCaughtUp(Duration timeout) {}
        public long term() { return 12; }
        public ClusterStatus status() {
            return new ClusterStatus("n1", leader, 12, commit, commit, List.of(
                    new ClusterStatus.Member("n1", "a1", "leader", commit, 0, 0),
                    new ClusterStatus.Member("n2", "a2", "follower", commit, 0, 30),
                    new ClusterStatus.Member("n3", "a3", "follower", match3, commit - match3, contact3)));
        }
        public void addLeadershipListener(LeadershipListener listener) {}
        public void close() {}
    };
    final MemberWatcher watcher = new MemberWatcher(store, clock);

    Optional<Alarm> alarm() {
        return local.read(s -> s.openAlarm(AlarmType.CONTROL_PLANE_MEMBER_BEHIND, "n3"));
    }

    /** Ticks every second for {@code seconds}, the group writing two entries a second. */
    void run(int seconds, boolean n3Fed) {
        for (int i = 0; i < seconds; i++) {
            commit += 2;
            if (n3Fed) match3 = commit - 1;
            clock.advance(Duration.ofSeconds(1));
            watcher.tick();
        }
    }

    @Test
    void memberStuckBehindWhileItAnswers_isAlarmedAfterTheLimit_andClearedOnceItCaughtUp() {
        match3 = 2122; // held there, as the wiped member of campaign seed 20261202 was
        run(59, false);
        assertThat(alarm()).as("not before the limit").isEmpty();
        run(2, false);
        assertThat(alarm()).isPresent();
        assertThat(alarm().get().text()).contains("n3").contains("has not reached index").contains("holds 2122");
        match3 = commit;
        run(1, true);
        match3 = commit;
        watcher.tick();
        assertThat(alarm()).as("caught up").isEmpty();
    }

    @Test
    void memberOneEntryBehindUnderLoad_isFedAndNeverAlarmed() {
        run(300, true);
        assertThat(alarm()).isEmpty();
    }

    @Test
    void memberThatDoesNotAnswer_isDownNotBehind_andIsNotAlarmedHere() {
        match3 = 2122;
        contact3 = 9000;
        run(300, false);
        assertThat(alarm()).isEmpty();
    }

    @Test
    void onAFollower_nothingIsJudged() {
        leader = "n2";
        match3 = 2122;
        run(300, false);
        assertThat(alarm()).isEmpty();
    }
}
