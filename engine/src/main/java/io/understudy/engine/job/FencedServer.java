package io.understudy.engine.job;

import io.understudy.model.ServerState;
import io.understudy.state.ClusterState;
import java.util.Optional;

/**
 * Proof that a server is fenced: it exists only when the replicated state records a confirmed power-off. Moving
 * an identity away from a failed server takes one of these, so "no takeover before fence" (invariant 2) is a fact
 * of the types, not a convention — and the state machine checks it again on every replica.
 */
public final class FencedServer {
    private final String id;
    private final String how;

    private FencedServer(String id, String how) {
        this.id = id;
        this.how = how;
    }

    public static Optional<FencedServer> of(ClusterState state, String server) {
        var r = state.server(server);
        if (r == null || r.state() != ServerState.FENCED) return Optional.empty();
        return Optional.of(new FencedServer(server, r.reason()));
    }

    public String id() {
        return id;
    }

    public String how() {
        return how;
    }

    /** What a fence without the BMC records: the server was silent long enough to have fenced itself. */
    public static final String SELF_FENCED = "self-fenced: ";

    /** Fenced by its own agent (identity dropped, workload stopped), not by power: its agent will not answer. */
    public boolean selfFenced() {
        return how != null && how.startsWith(SELF_FENCED);
    }
}
