package io.understudy.bench;

import io.understudy.state.StateStore;
import io.understudy.state.ratis.RatisSettings;
import io.understudy.state.ratis.RatisStateStore;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * One member of a Raft group in its own JVM, for {@link RaftBench}: prints {@code LEADER <term>} the moment it is
 * leader and has applied the log, so the bench can time an election after a {@code kill -9} of the old leader.
 *
 * <p>Arguments: {@code ID DATA_DIR id=port,id=port,...}
 */
public final class RaftMember {
    public static void main(String[] args) throws Exception {
        List<RatisSettings.Peer> peers = new ArrayList<>();
        for (String p : args[2].split(",")) {
            String[] kv = p.split("=");
            peers.add(new RatisSettings.Peer(kv[0], "127.0.0.1", Integer.parseInt(kv[1])));
        }
        RatisSettings.Peer me = peers.stream().filter(p -> p.id().equals(args[0])).findFirst().orElseThrow();
        RatisStateStore store = RatisStateStore.start(new RatisSettings(me.id(), peers, Path.of(args[1]), me.port(),
                Duration.ofSeconds(10), RatisSettings.DEFAULT_SNAPSHOT_THRESHOLD));
        store.addLeadershipListener(new StateStore.LeadershipListener() {
            @Override
            public void leaderReady(long term) {
                System.out.println("LEADER " + term);
                System.out.flush();
            }

            @Override
            public void leadershipLost() {
                System.out.println("FOLLOWER");
                System.out.flush();
            }
        });
        Thread.currentThread().join();
    }
}
