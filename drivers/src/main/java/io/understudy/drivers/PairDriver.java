package io.understudy.drivers;

import io.understudy.model.config.ProfileSpec;

/** Asks one member of a lockstep profile's pair what it holds (its front's {@code status} line). */
public interface PairDriver {
    /**
     * @param seq        inputs the member has applied
     * @param digest     its running digest of inputs and replies (equal on both members at the same seq)
     * @param leading    whether it leads the pair's group now (orders the inputs)
     * @param divergence the sequence number at which it found its digest differs from the leader's, or null
     */
    record PairStatus(long seq, String digest, boolean leading, Long divergence) {}

    PairStatus status(String server, ProfileSpec profile, CallContext ctx) throws DriverException;

    PairDriver NONE = (server, profile, ctx) -> {
        throw new DriverException(DriverException.Kind.FAILED, "no pair driver for " + server);
    };
}
