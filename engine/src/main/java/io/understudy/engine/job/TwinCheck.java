package io.understudy.engine.job;

import io.understudy.drivers.PairDriver.PairStatus;

/**
 * What the two members of a lockstep pair say about the twin (the pair watcher and a re-pair job's sync-twin judge
 * alike): whether it holds the pair's inputs, and whether it must resync because the pair's own protocol will not
 * bring it level.
 */
public final class TwinCheck {
    /** A twin within this many inputs of the primary holds the pair's inputs: paired. */
    public static final long SYNCED_WITHIN = 1_000;

    /** How long a twin may hear no leader while the primary leads before it is told to resync (elections take ~1 s; a restarted member hears its leader within seconds). */
    public static final java.time.Duration DEAF_FOR = java.time.Duration.ofSeconds(10);

    private TwinCheck() {}

    /**
     * Whether the twin holds the pair's inputs: within {@link #SYNCED_WITHIN} of the primary, hearing a leader, and
     * holding at least what the primary had at an earlier look ({@code primaryBefore}; null: no earlier look yet, so
     * not proven) — proof that the leader feeds it. Found by the demo pair's test under load: a twin that had heard
     * its leader but held nothing yet (seq 0 against 24) was called paired, the primary crashed, and a twin with an
     * empty log cannot take over.
     */
    public static boolean level(PairStatus primary, PairStatus twin, Long primaryBefore) {
        return primaryBefore != null && twin.seq() >= primaryBefore && lag(primary, twin) <= SYNCED_WITHIN
                && (twin.leading() || twin.leader() != null);
    }

    /** Inputs the twin is behind the primary. */
    public static long lag(PairStatus primary, PairStatus twin) {
        return Math.max(0, primary.seq() - twin.seq());
    }

    /**
     * Why the twin must resync, or null: it found its digest differs from the leader's (a divergence), or it has heard
     * no leader for {@link #DEAF_FOR} (by its own clock: Ratis runs on it) while the primary leads and is more than
     * {@link #SYNCED_WITHIN} inputs ahead — the leader is not feeding it (seen in the lockstep lab under a CPU hog: a twin started late was never sent the log, and with it
     * the pair could not fail over). Leaving the group and coming back gives the leader a fresh appender for it.
     */
    public static String trouble(String twinId, PairStatus primary, PairStatus twin) {
        if (twin.divergence() != null) return "twin " + twinId + " diverged at input " + twin.divergence() + " (its digest differs from the leader's)";
        if (primary != null && primary.leading() && !twin.leading() && twin.leader() == null && twin.deafMillis() >= DEAF_FOR.toMillis()
                && lag(primary, twin) > SYNCED_WITHIN) {
            return "twin " + twinId + " has heard no leader for " + twin.deafMillis() / 1000 + " s while the primary leads, "
                    + lag(primary, twin) + " inputs ahead of it";
        }
        return null;
    }
}
