package io.understudy.lockstep;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.function.BiConsumer;
import io.understudy.state.ratis.SnapshotMachine;
import org.apache.ratis.proto.RaftProtos.LogEntryProto;
import org.apache.ratis.protocol.Message;
import org.apache.ratis.protocol.RaftClientRequest;
import org.apache.ratis.server.protocol.TermIndex;
import org.apache.ratis.server.raftlog.RaftLog;
import org.apache.ratis.server.storage.FileInfo;
import org.apache.ratis.statemachine.TransactionContext;
import org.apache.ratis.statemachine.impl.SingleFileSnapshotInfo;
import org.apache.ratis.thirdparty.com.google.protobuf.ByteString;
import org.apache.ratis.util.AtomicFileOutputStream;
import org.apache.ratis.util.MD5FileUtil;

/**
 * One member's copy of the pair: applies each committed input to its {@link DeterministicService} in log order.
 *
 * <ul>
 *   <li>Exactly once: the reply to each request id is kept (the newest {@link #REPLIES_KEPT}); an input whose id was
 *       applied already is not applied again, its first reply is returned — also after a failover, since the kept
 *       replies are part of the replicated state.</li>
 *   <li>Divergence: a running SHA-256 over every input and its reply. Every {@code digestEvery} inputs the leader
 *       puts its digest in the log; each member compares it with its own at the same input and, on a difference,
 *       reports a divergence (it is then resynced from the leader).</li>
 *   <li>The arbiter runs no service and keeps only the log: it never serves a client (it refuses while it leads, until
 *       Ratis hands leadership to a member by priority) and takes no snapshots, so it never sends one without the
 *       service's state.</li>
 * </ul>
 */
final class LockstepStateMachine extends SnapshotMachine {
    static final int REPLIES_KEPT = 100_000;
    private static final org.slf4j.Logger LEADERS = org.slf4j.LoggerFactory.getLogger(LockstepStateMachine.class);
    private static final int DIGESTS_KEPT = 64;

    private final DeterministicService service;   // null: the arbiter
    private final int digestEvery;
    private final BiConsumer<Long, byte[]> digestPoint;
    private final Object lock = new Object();

    // Guarded by lock.
    private long seq;
    private byte[] digest = new byte[32];
    private final TreeMap<Long, byte[]> recentDigests = new TreeMap<>();
    private final LinkedHashMap<String, byte[]> replies = new LinkedHashMap<>(16, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, byte[]> eldest) {
            return size() > REPLIES_KEPT;
        }
    };
    private volatile Divergence divergence;
    private volatile long duplicates;

    /** A member's digest that differs from the leader's at the same input. */
    record Divergence(long seq, String mine, String leaders) {}

    /**
     * @param digestPoint called (on the apply thread) after every {@code digestEvery}-th input with the digest; the
     *                    member puts it in the log when it leads
     */
    LockstepStateMachine(DeterministicService service, int digestEvery, BiConsumer<Long, byte[]> digestPoint) {
        this.service = service;
        this.digestEvery = digestEvery;
        this.digestPoint = digestPoint;
    }

    /** Who leads the pair, in the member's log: what an operator reads first after a failover. */
    @Override
    public void notifyLeaderChanged(org.apache.ratis.protocol.RaftGroupMemberId member, org.apache.ratis.protocol.RaftPeerId leader) {
        LEADERS.info("{}: the pair's leader is now {}", member.getPeerId(), leader);
    }

    /** On the leader, before an input enters the log: the arbiter serves no client. */
    @Override
    public TransactionContext startTransaction(RaftClientRequest request) throws IOException {
        if (service == null) throw new IOException("the arbiter serves no client: leadership passes to a member of the pair");
        return super.startTransaction(request);
    }

    @Override
    public CompletableFuture<Message> applyTransaction(TransactionContext trx) {
        LogEntryProto log = trx.getLogEntry();
        TermIndex at = TermIndex.valueOf(log);
        Entry e = Entry.decode(log.getStateMachineLogEntry().getLogData().toByteArray());
        List<byte[]> replies = new ArrayList<>();
        List<Map.Entry<Long, byte[]>> points = new ArrayList<>();
        synchronized (lock) {
            if (e instanceof Entry.Input in) {
                replies.add(apply(in, points));
            } else if (e instanceof Entry.Batch b) {
                for (Entry.Input in : b.inputs()) replies.add(apply(in, points));
            } else if (e instanceof Entry.DigestPoint p && service != null) {
                byte[] mine = recentDigests.get(p.seq());
                if (mine != null && !Arrays.equals(mine, p.digest()) && divergence == null) {
                    divergence = new Divergence(p.seq(), hex(mine), hex(p.digest()));
                    LOG.warn("{}: lockstep divergence at input {}: my digest {} , the leader's {}", getId(), p.seq(), hex(mine), hex(p.digest()));
                }
            }
            updateLastAppliedTermIndex(at);
        }
        for (Map.Entry<Long, byte[]> p : points) digestPoint.accept(p.getKey(), p.getValue());
        byte[] answer;
        if (service == null) answer = Reply.none();
        else if (e instanceof Entry.Batch) answer = Reply.ofAll(replies);
        else answer = Reply.of(replies.isEmpty() ? new byte[0] : replies.get(0));
        return CompletableFuture.completedFuture(Message.valueOf(ByteString.copyFrom(answer)));
    }

    /** Applies one input (once per request id) under the lock; a digest point it reaches is added to {@code points}. */
    private byte[] apply(Entry.Input in, List<Map.Entry<Long, byte[]>> points) {
        byte[] earlier = replies.get(in.requestId());
        if (earlier != null) {
            duplicates++;
            return earlier;
        }
        byte[] reply = service == null ? new byte[0] : service.apply(in.payload());
        seq++;
        if (service != null) digest = chain(digest, in.payload(), reply);
        replies.put(in.requestId(), reply);
        if (service != null && seq % digestEvery == 0) {
            recentDigests.put(seq, digest);
            while (recentDigests.size() > DIGESTS_KEPT) recentDigests.pollFirstEntry();
            points.add(Map.entry(seq, digest));
        }
        return reply;
    }

    private static byte[] chain(byte[] previous, byte[] input, byte[] reply) {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            md.update(previous);
            md.update(intBytes(input.length));
            md.update(input);
            md.update(intBytes(reply.length));
            md.update(reply);
            return md.digest();
        } catch (NoSuchAlgorithmException x) {
            throw new IllegalStateException(x);
        }
    }

    private static byte[] intBytes(int n) {
        return new byte[] {(byte) (n >>> 24), (byte) (n >>> 16), (byte) (n >>> 8), (byte) n};
    }

    static String hex(byte[] b) {
        return HexFormat.of().formatHex(b, 0, Math.min(8, b.length));
    }

    @Override
    public long takeSnapshot() throws IOException {
        if (service == null) return RaftLog.INVALID_LOG_INDEX;
        TermIndex last;
        byte[] body;
        synchronized (lock) {
            last = getLastAppliedTermIndex();
            if (last == null || last.getIndex() < 0) return RaftLog.INVALID_LOG_INDEX;
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            try (DataOutputStream d = new DataOutputStream(bytes)) {
                d.writeLong(last.getTerm());
                d.writeLong(last.getIndex());
                d.writeLong(seq);
                d.write(digest);
                d.writeInt(recentDigests.size());
                for (Map.Entry<Long, byte[]> r : recentDigests.entrySet()) {
                    d.writeLong(r.getKey());
                    d.write(r.getValue());
                }
                d.writeInt(replies.size());
                for (Map.Entry<String, byte[]> r : replies.entrySet()) {
                    d.writeUTF(r.getKey());
                    d.writeInt(r.getValue().length);
                    d.write(r.getValue());
                }
                ByteArrayOutputStream state = new ByteArrayOutputStream();
                service.snapshot(state);
                d.writeInt(state.size());
                state.writeTo(d);
            }
            body = bytes.toByteArray();
        }
        SingleFileSnapshotInfo latest = storage.getLatestSnapshot();
        if (latest != null && latest.getIndex() == last.getIndex()) return last.getIndex();
        File file = storage.getSnapshotFile(last.getTerm(), last.getIndex());
        try (OutputStream out = new BufferedOutputStream(new AtomicFileOutputStream(file))) {
            out.write(body);
        }
        storage.updateLatestSnapshot(new SingleFileSnapshotInfo(new FileInfo(file.toPath(), MD5FileUtil.computeAndSaveMd5ForFile(file)), last));
        return last.getIndex();
    }

    @Override
    protected void load(SingleFileSnapshotInfo snapshot) throws IOException {
        if (snapshot == null || service == null) return;
        Path path = snapshot.getFile().getPath();
        if (!Files.exists(path)) return;
        if (snapshot.getFile().getFileDigest() != null) MD5FileUtil.verifySavedMD5(path.toFile(), snapshot.getFile().getFileDigest());
        try (InputStream raw = new BufferedInputStream(Files.newInputStream(path)); DataInputStream d = new DataInputStream(raw)) {
            long term = d.readLong();
            long index = d.readLong();
            TermIndex named = snapshot.getTermIndex();
            if (term != named.getTerm() || index != named.getIndex()) {
                throw new IOException("snapshot " + path + " holds term " + term + " index " + index + " but its name says " + named);
            }
            synchronized (lock) {
                seq = d.readLong();
                digest = d.readNBytes(32);
                recentDigests.clear();
                for (int i = d.readInt(); i > 0; i--) recentDigests.put(d.readLong(), d.readNBytes(32));
                replies.clear();
                for (int i = d.readInt(); i > 0; i--) {
                    String id = d.readUTF();
                    replies.put(id, d.readNBytes(d.readInt()));
                }
                service.restore(new ByteArrayInputStream(d.readNBytes(d.readInt())));
                divergence = null;
                setLastAppliedTermIndex(named);
            }
        }
    }

    /** Inputs applied (a retried request id counts once). */
    long seq() {
        synchronized (lock) {
            return seq;
        }
    }

    /** The running digest of every input and reply so far, as hex (its first 8 bytes). */
    String digest() {
        synchronized (lock) {
            return hex(digest);
        }
    }

    /** The divergence this member found, or null. */
    Divergence divergence() {
        return divergence;
    }

    /** Inputs that came again under a request id already applied (answered with the first reply). */
    long duplicates() {
        return duplicates;
    }

    /** Runs {@code reader} on the service with no input being applied meanwhile. */
    <T> T read(java.util.function.Function<DeterministicService, T> reader) {
        synchronized (lock) {
            return reader.apply(service);
        }
    }
}
