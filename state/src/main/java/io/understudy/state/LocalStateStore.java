package io.understudy.state;

import io.understudy.state.command.Command;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;

/** A state store in one process without Raft: always leader, applies at once. For tests and benchmarks. */
public final class LocalStateStore implements StateStore {
    private final StateMachine machine = new StateMachine();
    private final List<LeadershipListener> listeners = new CopyOnWriteArrayList<>();
    private final List<Command> log = new CopyOnWriteArrayList<>();

    @Override
    public synchronized Result submit(Command command) {
        log.add(command);
        return machine.apply(command, log.size() - 1);
    }

    @Override
    public <T> T read(Function<ClusterState, T> reader) {
        return machine.read(reader);
    }

    /** In memory, always leader: everything submitted is applied. */
    @Override
    public void awaitCaughtUp(java.time.Duration timeout) {
    }

    @Override
    public boolean isLeader() {
        return true;
    }

    @Override
    public long term() {
        return 1;
    }

    @Override
    public ClusterStatus status() {
        long applied = machine.read(ClusterState::appliedIndex);
        return new ClusterStatus("local", "local", 1, applied, applied,
                List.of(new ClusterStatus.Member("local", "in-process", "leader", applied, 0, 0)));
    }

    @Override
    public void addLeadershipListener(LeadershipListener listener) {
        listeners.add(listener);
    }

    /** Tells listeners this node leads; a test calls it once it has wired the engine. */
    public void announceLeadership() {
        listeners.forEach(l -> l.leaderReady(1));
    }

    /** Every command submitted, in order: tests replay it to check determinism. */
    public List<Command> log() {
        return List.copyOf(log);
    }

    @Override
    public void close() {}
}
