package io.understudy.lockstep;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * One entry of a pair's input log: a client's input with its request id, a batch of inputs (the inputs that waited
 * while the previous entries committed, applied in their order: one Raft entry carries many, since a commit costs the
 * same for one input as for hundreds), or a digest point (the leader's digest after its {@code seq}-th input, which
 * every member compares with its own).
 */
sealed interface Entry {
    byte INPUT = 1;
    byte DIGEST = 2;
    byte BATCH = 3;

    record Input(String requestId, byte[] payload) implements Entry {}

    record Batch(java.util.List<Input> inputs) implements Entry {}

    record DigestPoint(long seq, byte[] digest) implements Entry {}

    static byte[] encode(Entry e) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream d = new DataOutputStream(bytes)) {
            if (e instanceof Input in) {
                d.writeByte(INPUT);
                writeInput(d, in);
            } else if (e instanceof Batch b) {
                d.writeByte(BATCH);
                d.writeInt(b.inputs().size());
                for (Input in : b.inputs()) writeInput(d, in);
            } else if (e instanceof DigestPoint p) {
                d.writeByte(DIGEST);
                d.writeLong(p.seq());
                d.writeInt(p.digest().length);
                d.write(p.digest());
            }
        } catch (IOException x) {
            throw new UncheckedIOException(x);
        }
        return bytes.toByteArray();
    }

    /** The entry, or null for bytes that are none (Raft's own no-op entries carry nothing). */
    static Entry decode(byte[] raw) {
        if (raw.length == 0) return null;
        try (DataInputStream d = new DataInputStream(new ByteArrayInputStream(raw))) {
            byte kind = d.readByte();
            if (kind == INPUT) return readInput(d);
            if (kind == BATCH) {
                int n = d.readInt();
                java.util.List<Input> inputs = new java.util.ArrayList<>(n);
                for (int i = 0; i < n; i++) inputs.add(readInput(d));
                return new Batch(inputs);
            }
            if (kind == DIGEST) {
                long seq = d.readLong();
                return new DigestPoint(seq, d.readNBytes(d.readInt()));
            }
            return null;
        } catch (IOException x) {
            return null;
        }
    }

    private static void writeInput(DataOutputStream d, Input in) throws IOException {
        d.writeUTF(in.requestId());
        d.writeInt(in.payload().length);
        d.write(in.payload());
    }

    private static Input readInput(DataInputStream d) throws IOException {
        String id = d.readUTF();
        return new Input(id, d.readNBytes(d.readInt()));
    }
}
