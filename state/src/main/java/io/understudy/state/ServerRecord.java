package io.understudy.state;

import io.understudy.model.Resources;
import io.understudy.model.ServerState;
import java.time.Instant;

/**
 * What the replicated state knows of a server at run time.
 *
 * @param since when it entered {@code state}; for the down states (failed, fenced) when it went down
 * @param reservedBy the job that holds it as a target, or null
 * @param reported the resources its agent last reported (recorded when they change), or null before any report
 */
public record ServerRecord(String id, ServerState state, String reason, Instant since, Long reservedBy, Resources reported) {
    /** A server whose agent has reported nothing yet. */
    public ServerRecord(String id, ServerState state, String reason, Instant since, Long reservedBy) {
        this(id, state, reason, since, reservedBy, null);
    }

    ServerRecord with(ServerState s, String why, Instant at) {
        boolean sameEpisode = s == state || (s.isDown() && state.isDown());
        return new ServerRecord(id, s, why, sameEpisode ? since : at, reservedBy, reported);
    }

    ServerRecord reserved(Long job) {
        return new ServerRecord(id, state, reason, since, job, reported);
    }

    ServerRecord reporting(Resources r) {
        return new ServerRecord(id, state, reason, since, reservedBy, r);
    }
}
