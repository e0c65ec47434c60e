package io.understudy.state.ratis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.understudy.state.ClusterStatus;
import io.understudy.state.Fixtures;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.ratis.util.ExitUtils;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Cluster status and membership changes through Raft, with the quorum guard. */
class RatisMembershipTest {
    @TempDir
    Path a;
    @TempDir
    Path b;
    @TempDir
    Path c;
    final List<RatisStateStore> stores = new ArrayList<>();

    @BeforeAll
    static void keepJvm() {
        ExitUtils.disableSystemExit();
    }

    @AfterEach
    void closeAll() {
        stores.parallelStream().forEach(RatisStateStore::close);
    }

    private List<RatisStateStore> startGroup() throws Exception {
        List<RatisSettings> settings = RatisTestSupport.group(List.of(a, b, c));
        List<Thread> ts = new ArrayList<>();
        List<RatisStateStore> started = java.util.Collections.synchronizedList(new ArrayList<>());
        for (RatisSettings s : settings) {
            Thread t = new Thread(() -> {
                try {
                    started.add(RatisStateStore.start(s));
                } catch (Exception e) {
                    throw new RuntimeException(e);
                }
            });
            t.start();
            ts.add(t);
        }
        for (Thread t : ts) t.join(30_000);
        stores.addAll(started);
        return started;
    }

    private RatisStateStore leader() throws InterruptedException {
        for (int i = 0; i < 400; i++) {
            for (RatisStateStore s : stores) if (s.isLeader()) return s;
            Thread.sleep(25);
        }
        throw new AssertionError("no leader within 10 s");
    }

    @Test
    void status_onLeader_listsEveryMemberWithRoleAndLag() throws Exception {
        startGroup();
        RatisStateStore leader = leader();
        leader.submit(Fixtures.applyConfig());
        ClusterStatus st = null;
        for (int i = 0; i < 200; i++) {
            st = leader.status();
            if (st.members().stream().allMatch(m -> m.lag() == 0)) break;
            Thread.sleep(25);
        }
        assertThat(st.leader()).isEqualTo(st.node());
        assertThat(st.members()).hasSize(3);
        assertThat(st.members()).filteredOn(m -> m.role().equals("leader")).hasSize(1);
        assertThat(st.members()).allMatch(m -> m.lag() == 0);
        assertThat(st.commitIndex()).isGreaterThan(0);
    }

    @Test
    void removeMember_thenAddItBack_changesTheGroupThroughRaft() throws Exception {
        startGroup();
        RatisStateStore leader = leader();
        String follower = leader.status().members().stream().filter(m -> !m.role().equals("leader")).findFirst().orElseThrow().id();
        RatisSettings.Peer peer = leader.settings().peers().stream().filter(p -> p.id().equals(follower)).findFirst().orElseThrow();
        assertThat(leader.removeMember(follower)).contains("group is now");
        assertThat(leader.status().members()).extracting(ClusterStatus.Member::id).doesNotContain(follower);
        assertThat(leader.addMember(peer)).contains(follower);
        assertThat(leader.status().members()).extracting(ClusterStatus.Member::id).contains(follower);
    }

    @Test
    void removeMember_whenTheRestWouldLoseQuorum_isRefused() throws Exception {
        startGroup();
        RatisStateStore leader = leader();
        List<String> followers = leader.status().members().stream().filter(m -> !m.role().equals("leader")).map(ClusterStatus.Member::id).toList();
        RatisStateStore down = stores.stream().filter(s -> s.settings().nodeId().equals(followers.get(0))).findFirst().orElseThrow();
        down.close();
        stores.remove(down);
        Thread.sleep(ClusterStatusWait.PAST_CONTACT_MS);
        // Removing the live follower would leave {leader, dead node}: one reachable of a majority of two.
        assertThatThrownBy(() -> leader.removeMember(followers.get(1)))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("quorum lost");
        assertThat(leader.status().members()).hasSize(3);
    }

    /** How long to wait so the leader counts a stopped member as unreachable. */
    static final class ClusterStatusWait {
        static final long PAST_CONTACT_MS = Membership.REACHABLE_MS + 500;
    }
}
