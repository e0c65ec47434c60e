package io.understudy.engine.cluster;

import io.understudy.drivers.Drivers;
import io.understudy.engine.Engine;
import io.understudy.engine.EngineListener;
import io.understudy.engine.EngineSettings;
import io.understudy.model.config.DataCenterConfig;
import io.understudy.sim.SimDataCenter;
import io.understudy.sim.SimTimings;
import io.understudy.state.ClusterState;
import io.understudy.state.Result;
import io.understudy.state.StateStore;
import io.understudy.state.command.ApplyConfig;
import io.understudy.state.command.Command;
import io.understudy.state.ratis.RatisSettings;
import io.understudy.state.ratis.RatisStateStore;
import io.understudy.testkit.DrivenScheduler;
import io.understudy.testkit.Patience;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * Three or five control-plane nodes in one JVM: real Raft (Ratis on loopback), one engine per node, one simulated
 * data center whose agents heartbeat to every node, all on one driven clock. Raft elects in real time; the data
 * center's time moves only when the test advances it. Every command a node got committed is recorded, so tests can
 * count how often a step was started.
 */
final class ControlPlaneCluster implements AutoCloseable {
    static final Duration TIMEOUT = Duration.ofSeconds(5);

    final DrivenScheduler clock = new DrivenScheduler();
    final SimDataCenter sim;
    final List<Node> nodes = new ArrayList<>();
    final List<Command> committed = Collections.synchronizedList(new ArrayList<>());
    private final List<RatisSettings> settings = new ArrayList<>();

    /** A node: its store (null while down) and its engine. */
    final class Node {
        final int index;
        RecordingStore store;
        Engine engine;

        Node(int index) {
            this.index = index;
        }

        boolean up() {
            return store != null;
        }

        void start() {
            try {
                store = new RecordingStore(RatisStateStore.start(settings.get(index)), committed);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            engine = new Engine(store, new Drivers(Map.of("sim", sim), sim, sim), clock, EngineSettings.DEFAULTS, Runnable::run, EngineListener.NONE);
            sim.addListener(engine.detector());
        }

        /** A crash as far as the others can tell: Raft stops; the data directory stays. */
        void kill() {
            store.close();
            store = null;
        }
    }

    ControlPlaneCluster(int size, Path dir, DataCenterConfig config, SimTimings timings) throws IOException {
        sim = new SimDataCenter(config, clock, timings);
        List<RatisSettings.Peer> peers = new ArrayList<>();
        for (int i = 0; i < size; i++) peers.add(new RatisSettings.Peer("n" + (i + 1), "127.0.0.1", freePort()));
        for (int i = 0; i < size; i++) {
            settings.add(new RatisSettings(peers.get(i).id(), peers, Files.createDirectories(dir.resolve("n" + (i + 1))),
                    peers.get(i).port(), TIMEOUT, RatisSettings.DEFAULT_SNAPSHOT_THRESHOLD)
                    // Wider than the defaults: a loaded 2-core test machine must not make elections flap.
                    .withElectionTimeouts(Duration.ofMillis(400), Duration.ofMillis(800)));
            nodes.add(new Node(i));
        }
        // Members of a group start in parallel: each waits for the others to elect.
        List<Thread> starting = new ArrayList<>();
        for (Node n : nodes) {
            Thread t = new Thread(n::start);
            t.start();
            starting.add(t);
        }
        for (Thread t : starting) {
            try {
                t.join(TIMEOUT.toMillis() * 3);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        leader();
        Result r = leader().store.submit(new ApplyConfig(config, "test", clock.now()));
        if (!r.ok()) throw new IllegalStateException(r.message());
        sim.start();
    }

    /** The node that leads now, waiting (in real time, bounded) for an election if there is none. */
    Node leader() {
        // Scaled by the machine's load: on a busy 2-core machine an election after a kill can take longer than 20 s.
        Duration wait = Patience.scaled(TIMEOUT.multipliedBy(4));
        long deadline = System.nanoTime() + wait.toNanos();
        while (System.nanoTime() < deadline) {
            Optional<Node> l = nodes.stream().filter(n -> n.up() && n.store.isLeader() && n.engine.leading()).findFirst();
            if (l.isPresent()) return l.get();
            sleep(20);
        }
        StringBuilder b = new StringBuilder();
        for (Node n : nodes) {
            b.append(" n").append(n.index + 1).append(n.up() ? ": term " + n.store.term() + (n.store.isLeader() ? " leader" : "")
                    + (n.engine.leading() ? " engine-leading" : "") : ": down");
        }
        throw new AssertionError("no leader within " + wait + ";" + b);
    }

    List<Node> up() {
        return nodes.stream().filter(Node::up).toList();
    }

    /** Advances data-center time in 100 ms steps, checking the split-brain invariant after each. */
    boolean runUntil(java.util.function.BooleanSupplier done, Duration limit, List<String> profiles) {
        for (Duration t = Duration.ZERO; t.compareTo(limit) < 0; t = t.plusMillis(100)) {
            if (done.getAsBoolean()) return true;
            clock.advance(Duration.ofMillis(100));
            for (String p : profiles) {
                if (sim.holders(p).size() > 1) throw new AssertionError("split brain: " + p + " on " + sim.holders(p));
            }
        }
        return done.getAsBoolean();
    }

    <T> T read(Function<ClusterState, T> f) {
        return leader().store.read(f);
    }

    /** Waits (real time, bounded) until every running node has applied as far as the leader. */
    void settle() {
        long target = leader().store.read(ClusterState::appliedIndex);
        long deadline = System.nanoTime() + Patience.scaled(TIMEOUT).toNanos();
        while (System.nanoTime() < deadline && up().stream().anyMatch(n -> n.store.read(ClusterState::appliedIndex) < target)) sleep(20);
    }

    @Override
    public void close() {
        sim.stop();
        up().parallelStream().forEach(Node::kill);
    }

    static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static int freePort() {
        return io.understudy.testkit.Ports.free();
    }

    /** A store that remembers every command it got committed. */
    static final class RecordingStore implements StateStore {
        private final StateStore inner;
        private final List<Command> committed;

        RecordingStore(StateStore inner, List<Command> committed) {
            this.inner = inner;
            this.committed = committed;
        }

        @Override
        public Result submit(Command command) {
            Result r = inner.submit(command);
            if (r.ok()) committed.add(command);
            return r;
        }

        @Override
        public <T> T read(Function<ClusterState, T> reader) {
            return inner.read(reader);
        }

        @Override
        public boolean isLeader() {
            return inner.isLeader();
        }

        @Override
        public void awaitCaughtUp(java.time.Duration timeout) {
            inner.awaitCaughtUp(timeout);
        }

        @Override
        public io.understudy.state.ClusterStatus status() {
            return inner.status();
        }

        @Override
        public long term() {
            return inner.term();
        }

        @Override
        public void addLeadershipListener(LeadershipListener listener) {
            inner.addLeadershipListener(listener);
        }

        @Override
        public void close() {
            inner.close();
        }
    }
}
