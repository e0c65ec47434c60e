package io.understudy.state;

import io.understudy.state.command.Command;
import java.util.function.Function;

/**
 * The replicated state as the rest of understudy sees it. Implementations: {@link LocalStateStore} (in memory,
 * always leader; for tests on the driven clock) and {@code RatisStateStore} (Raft; one node by default).
 *
 * <p>Contract: {@link #submit} returns only after the command is committed and applied on this node, so a reader
 * that follows sees its effect; it throws {@link StateException} when the command could not be committed (not the
 * leader, no quorum, timeout) — then it may or may not have been applied, which is why every command is safe to
 * submit again. {@link #read} never blocks on the network.
 */
public interface StateStore extends AutoCloseable {

    Result submit(Command command);

    <T> T read(Function<ClusterState, T> reader);

    boolean isLeader();

    /**
     * Returns once this node has applied every entry committed before the call (a read barrier: Raft commits one
     * entry that changes no state, and this waits until it is applied here). Nothing may decide, adopt or write on
     * the state before this returned once (invariant 7). Throws {@link StateException} when it could not in
     * {@code timeout} (no leader, no quorum, a long replay): the caller waits again, it never carries on.
     */
    void awaitCaughtUp(java.time.Duration timeout);

    /** The current Raft term: a fencing token that grows with every leader change. */
    long term();

    /** Members, leader, term, commit index and each member's lag, as this node sees them. */
    ClusterStatus status();

    /** Called when this node becomes leader (after it has applied the log) and when it stops being leader. */
    void addLeadershipListener(LeadershipListener listener);

    @Override
    void close();

    interface LeadershipListener {
        void leaderReady(long term);

        void leadershipLost();
    }

    /** A command that could not be committed. */
    class StateException extends RuntimeException {
        public StateException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
