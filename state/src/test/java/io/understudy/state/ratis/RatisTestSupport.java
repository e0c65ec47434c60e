package io.understudy.state.ratis;

import io.understudy.state.ClusterState;
import io.understudy.state.StateStore;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** Free ports, settings for one or three local nodes, and a listener that records what it hears. */
final class RatisTestSupport {
    private RatisTestSupport() {}

    static final Duration TIMEOUT = Duration.ofSeconds(5);

    /** A port nobody listens on right now: Ratis exits the JVM (or, in tests, fails) on a port in use. */
    static int freePort() {
        return io.understudy.testkit.Ports.free();
    }

    static RatisSettings singleNode(Path dir) {
        return RatisSettings.singleNode("n1", dir, freePort()).withRequestTimeout(TIMEOUT);
    }

    /** Settings for each member of a group of {@code dirs.size()} nodes on 127.0.0.1. */
    static List<RatisSettings> group(List<Path> dirs) {
        List<RatisSettings.Peer> peers = new ArrayList<>();
        for (int i = 0; i < dirs.size(); i++) peers.add(new RatisSettings.Peer("n" + (i + 1), "127.0.0.1", freePort()));
        List<RatisSettings> all = new ArrayList<>();
        for (int i = 0; i < dirs.size(); i++) {
            RatisSettings.Peer p = peers.get(i);
            all.add(new RatisSettings(p.id(), peers, dirs.get(i), p.port(), TIMEOUT, RatisSettings.DEFAULT_SNAPSHOT_THRESHOLD));
        }
        return all;
    }

    static ClusterState.Snapshot state(RatisStateStore store) {
        return store.machine().snapshot();
    }

    /** Records leadership callbacks and the thread each came on. */
    static final class RecordingListener implements StateStore.LeadershipListener {
        final List<String> events = Collections.synchronizedList(new ArrayList<>());
        final List<String> threads = Collections.synchronizedList(new ArrayList<>());

        @Override
        public void leaderReady(long term) {
            threads.add(Thread.currentThread().getName());
            events.add("ready:" + term);
        }

        @Override
        public void leadershipLost() {
            threads.add(Thread.currentThread().getName());
            events.add("lost");
        }

        List<String> snapshot() {
            synchronized (events) {
                return List.copyOf(events);
            }
        }
    }
}
