package io.understudy.drivers;

import io.understudy.model.config.ProfileSpec;

/** Asks one member of a lockstep profile's pair what it holds (its front's {@code status} line). */
public interface PairDriver {
    /**
     * @param seq        inputs the member has applied
     * @param digest     its running digest of inputs and replies (equal on both members at the same seq)
     * @param leading    whether it leads the pair's group now (orders the inputs)
     * @param divergence the sequence number at which it found its digest differs from the leader's, or null
     * @param leader     the member it hears as the pair's leader, or null when it hears none
     * @param deafMillis how long it has heard no leader, by its own clock (0 while it hears one)
     */
    record PairStatus(long seq, String digest, boolean leading, Long divergence, String leader, long deafMillis) {
        public PairStatus(long seq, String digest, boolean leading, Long divergence) {
            this(seq, digest, leading, divergence, null, 0);
        }
    }

    PairStatus status(String server, ProfileSpec profile, CallContext ctx) throws DriverException;

    /**
     * Asks the member on {@code server} to resync: leave the pair's group, drop its copy, come back empty and be sent
     * a snapshot and the inputs after it by the leader. A leading member refuses (FAILED); the answer comes before
     * the resync ends.
     */
    default void resync(String server, ProfileSpec profile, CallContext ctx) throws DriverException {
        throw new DriverException(DriverException.Kind.FAILED, "no pair driver can resync the member on " + server);
    }

    PairDriver NONE = (server, profile, ctx) -> {
        throw new DriverException(DriverException.Kind.FAILED, "no pair driver for " + server);
    };
}
