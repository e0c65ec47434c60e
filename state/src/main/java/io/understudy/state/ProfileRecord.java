package io.understudy.state;

import java.time.Instant;
import java.util.List;

/**
 * Where a profile runs now.
 *
 * @param server the server that holds its identity, or null when it is down
 * @param lockedTo the server it is locked to, or null
 * @param fallbacks times of its automatic and manual fallbacks, newest last (kept for the flapping window)
 * @param activeJob the job moving it, or null
 * @param planned whether an operator's planned move put it on {@code server}, away from home: it stays there until an
 *                operator moves it again (no automatic fallback), and any failover or fallback ends that
 */
public record ProfileRecord(String id, String server, String lockedTo, List<Instant> fallbacks, Long activeJob, String note,
                            boolean planned) {
    public ProfileRecord {
        fallbacks = fallbacks == null ? List.of() : List.copyOf(fallbacks);
    }

    ProfileRecord onServer(String s, String why) {
        return new ProfileRecord(id, s, lockedTo, fallbacks, activeJob, why, false);
    }

    ProfileRecord plannedMove() {
        return new ProfileRecord(id, server, lockedTo, fallbacks, activeJob, note, true);
    }

    ProfileRecord job(Long j) {
        return new ProfileRecord(id, server, lockedTo, fallbacks, j, note, planned);
    }

    ProfileRecord lock(String to) {
        return new ProfileRecord(id, server, to, fallbacks, activeJob, note, planned);
    }

    ProfileRecord fellBack(Instant at, int keep) {
        List<Instant> all = new java.util.ArrayList<>(fallbacks);
        all.add(at);
        while (all.size() > keep) all.remove(0);
        return new ProfileRecord(id, server, lockedTo, all, activeJob, note, planned);
    }
}
