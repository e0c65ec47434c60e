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
    private static final byte SERVICE_BATCH = 2;

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

    /** The replies to a batch's inputs, in its order. */
    static byte[] ofAll(java.util.List<byte[]> replies) {
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        try (java.io.DataOutputStream d = new java.io.DataOutputStream(bytes)) {
            d.writeByte(SERVICE_BATCH);
            d.writeInt(replies.size());
            for (byte[] r : replies) {
                d.writeInt(r.length);
                d.write(r);
            }
        } catch (java.io.IOException x) {
            throw new java.io.UncheckedIOException(x);
        }
        return bytes.toByteArray();
    }

    /** A batch's replies, or empty when the member that answered runs no service (or the bytes are none of ours). */
    static Optional<java.util.List<byte[]>> readAll(byte[] raw) {
        if (raw.length == 0 || raw[0] != SERVICE_BATCH) return Optional.empty();
        try (java.io.DataInputStream d = new java.io.DataInputStream(new java.io.ByteArrayInputStream(raw, 1, raw.length - 1))) {
            int n = d.readInt();
            java.util.List<byte[]> replies = new java.util.ArrayList<>(n);
            for (int i = 0; i < n; i++) replies.add(d.readNBytes(d.readInt()));
            return Optional.of(replies);
        } catch (java.io.IOException x) {
            return Optional.empty();
        }
    }
}
