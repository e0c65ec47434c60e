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
 */
public record ProfileRecord(String id, String server, String lockedTo, List<Instant> fallbacks, Long activeJob, String note) {
    public ProfileRecord {
        fallbacks = fallbacks == null ? List.of() : List.copyOf(fallbacks);
    }

    ProfileRecord onServer(String s, String why) {
        return new ProfileRecord(id, s, lockedTo, fallbacks, activeJob, why);
    }

    ProfileRecord job(Long j) {
        return new ProfileRecord(id, server, lockedTo, fallbacks, j, note);
    }

    ProfileRecord lock(String to) {
        return new ProfileRecord(id, server, to, fallbacks, activeJob, note);
    }

    ProfileRecord fellBack(Instant at, int keep) {
        List<Instant> all = new java.util.ArrayList<>(fallbacks);
        all.add(at);
        while (all.size() > keep) all.remove(0);
        return new ProfileRecord(id, server, lockedTo, all, activeJob, note);
    }
}
