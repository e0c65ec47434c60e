package io.understudy.state;

import io.understudy.model.ServerState;
import java.time.Instant;

/**
 * What the replicated state knows of a server at run time.
 *
 * @param since when it entered {@code state}; for the down states (failed, fenced) when it went down
 * @param reservedBy the job that holds it as a target, or null
 */
public record ServerRecord(String id, ServerState state, String reason, Instant since, Long reservedBy) {
    ServerRecord with(ServerState s, String why, Instant at) {
        boolean sameEpisode = s == state || (s.isDown() && state.isDown());
        return new ServerRecord(id, s, why, sameEpisode ? since : at, reservedBy);
    }

    ServerRecord reserved(Long job) {
        return new ServerRecord(id, state, reason, since, job);
    }
}
