package io.understudy.lockstep;

import java.util.Arrays;
import java.util.Optional;

/**
 * What a member's state machine answers for an input, as Ratis hands it to the client: a service's reply, marked, or
 * the arbiter's "no reply here". Ratis answers a retried call from the retry cache of whichever member leads now, with
 * that member's result of applying it — so after the primary dies with a call in flight, an arbiter that took the lead
 * answered the retry with its own empty result, and the client took "" as the reply (found by LockstepPairTest under a
 * CPU hog: request 204's reply was ""). The client retries on the arbiter's mark instead; the pair's member that
 * leads next answers with the first reply it kept.
 */
final class Reply {
    private static final byte SERVICE = 0;
    private static final byte ARBITER = 1;

    private Reply() {}

    static byte[] of(byte[] reply) {
        byte[] out = new byte[reply.length + 1];
        out[0] = SERVICE;
        System.arraycopy(reply, 0, out, 1, reply.length);
        return out;
    }

    static byte[] none() {
        return new byte[] {ARBITER};
    }

    /** The service's reply, or empty when the member that answered runs no service (or the bytes are none of ours). */
    static Optional<byte[]> read(byte[] raw) {
        if (raw.length == 0 || raw[0] != SERVICE) return Optional.empty();
        return Optional.of(Arrays.copyOfRange(raw, 1, raw.length));
    }
}
