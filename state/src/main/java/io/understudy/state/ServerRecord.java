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
 * @param drained whether an operator drained it for maintenance: no profile is moved, failed over or fallen back onto it
 */
public record ServerRecord(String id, ServerState state, String reason, Instant since, Long reservedBy, Resources reported,
                           boolean drained) {
    /** A server whose agent has reported nothing yet. */
    public ServerRecord(String id, ServerState state, String reason, Instant since, Long reservedBy) {
        this(id, state, reason, since, reservedBy, null, false);
    }

    ServerRecord with(ServerState s, String why, Instant at) {
        boolean sameEpisode = s == state || (s.isDown() && state.isDown());
        return new ServerRecord(id, s, why, sameEpisode ? since : at, reservedBy, reported, drained);
    }

    ServerRecord reserved(Long job) {
        return new ServerRecord(id, state, reason, since, job, reported, drained);
    }

    ServerRecord reporting(Resources r) {
        return new ServerRecord(id, state, reason, since, reservedBy, r, drained);
    }

    ServerRecord drained(boolean on) {
        return new ServerRecord(id, state, reason, since, reservedBy, reported, on);
    }
}
