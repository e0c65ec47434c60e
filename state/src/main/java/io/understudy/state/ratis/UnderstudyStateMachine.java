package io.understudy.state.ratis;

import io.understudy.state.ClusterState;
import io.understudy.state.Json;
import io.understudy.state.Result;
import io.understudy.state.StateMachine;
import io.understudy.state.command.Command;
import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.ratis.io.MD5Hash;
import org.apache.ratis.proto.RaftProtos.LogEntryProto;
import org.apache.ratis.protocol.Message;
import org.apache.ratis.protocol.RaftGroupMemberId;
import org.apache.ratis.protocol.RaftPeerId;
import org.apache.ratis.server.protocol.TermIndex;
import org.apache.ratis.server.raftlog.RaftLog;
import org.apache.ratis.server.storage.FileInfo;
import org.apache.ratis.statemachine.TransactionContext;
import org.apache.ratis.statemachine.impl.SingleFileSnapshotInfo;
import org.apache.ratis.thirdparty.com.google.protobuf.ByteString;
import org.apache.ratis.util.AtomicFileOutputStream;
import org.apache.ratis.util.MD5FileUtil;

/**
 * The Ratis side of understudy's {@link StateMachine}: decodes each committed log entry into a {@link Command},
 * applies it with its log index, and snapshots the whole state into one JSON file.
 */
final class UnderstudyStateMachine extends SnapshotMachine {
    private final StateMachine machine;
    private final LeadershipDispatcher leadership;
    /** Guards "state + last applied term-index" so a snapshot never pairs a state with another entry's index. */
    private final Object applyLock = new Object();
    /** Callers waiting for this replica to apply up to an index (a follower's submit); completed as applies pass. */
    private final ConcurrentSkipListMap<Long, CompletableFuture<Void>> waiters = new ConcurrentSkipListMap<>();
    private final AtomicLong appliesSinceStart = new AtomicLong();
    private volatile long loadedSnapshotIndex = RaftLog.INVALID_LOG_INDEX;
    private final CompletableFuture<Long> firstLeaderReady = new CompletableFuture<>();
    private volatile LeaderHeard otherLeaderHeard;

    UnderstudyStateMachine(StateMachine machine, LeadershipDispatcher leadership) {
        this.machine = machine;
        this.leadership = leadership;
    }

    @Override
    public CompletableFuture<Message> applyTransaction(TransactionContext trx) {
        LogEntryProto entry = trx.getLogEntry();
        TermIndex at = TermIndex.valueOf(entry);
        ApplyGate.before(at.getIndex());
        if (isNoOp(entry)) {
            synchronized (applyLock) {
                updateLastAppliedTermIndex(at);
            }
            return CompletableFuture.completedFuture(Message.EMPTY);
        }
        Result result;
        RuntimeException failure = null;
        synchronized (applyLock) {
            try {
                Command command = Json.read(entry.getStateMachineLogEntry().getLogData().toByteArray(), Command.class);
                result = machine.apply(command, at.getIndex());
            } catch (RuntimeException e) {
                // Deterministic on every replica; throwing here would stop the Ratis updater thread and the server.
                result = null;
                failure = e;
            }
            updateLastAppliedTermIndex(at);
        }
        appliesSinceStart.incrementAndGet();
        if (failure != null) {
            LOG.error("{}: command at {} failed to apply", getId(), at, failure);
            return CompletableFuture.failedFuture(failure);
        }
        return CompletableFuture.completedFuture(Message.valueOf(ByteString.copyFrom(Json.bytes(result))));
    }

    /**
     * The entry a member of a larger group writes after it starts ({@link CatchUpGuard}): it moves the Raft log, not
     * the state, so every replica skips it alike. Empty, so no command (always a JSON object) can be mistaken for it.
     */
    static final Message NO_OP = Message.valueOf(ByteString.EMPTY);

    private static boolean isNoOp(LogEntryProto entry) {
        return entry.getStateMachineLogEntry().getLogData().isEmpty();
    }

    /** Both paths that move the applied index, commands and Raft's own entries (configuration, no-op), wake waiters. */
    @Override
    protected boolean updateLastAppliedTermIndex(TermIndex applied) {
        boolean updated = super.updateLastAppliedTermIndex(applied);
        release(applied.getIndex());
        return updated;
    }

    @Override
    public long takeSnapshot() throws IOException {
        TermIndex last;
        ClusterState.Snapshot state;
        synchronized (applyLock) {
            last = getLastAppliedTermIndex();
            state = machine.snapshot();
        }
        if (last == null || last.getIndex() < 0) return RaftLog.INVALID_LOG_INDEX;
        SingleFileSnapshotInfo latest = storage.getLatestSnapshot();
        if (latest != null && latest.getIndex() == last.getIndex()) return last.getIndex();
        File file = storage.getSnapshotFile(last.getTerm(), last.getIndex());
        try (OutputStream out = new AtomicFileOutputStream(file)) {
            out.write(Json.bytes(new SnapshotFile(last.getTerm(), last.getIndex(), state)));
        }
        MD5Hash md5 = MD5FileUtil.computeAndSaveMd5ForFile(file);
        storage.updateLatestSnapshot(new SingleFileSnapshotInfo(new FileInfo(file.toPath(), md5), last));
        return last.getIndex();
    }

    @Override
    protected void load(SingleFileSnapshotInfo snapshot) throws IOException {
        if (snapshot == null) return;
        Path path = snapshot.getFile().getPath();
        if (!Files.exists(path)) {
            LOG.warn("{}: snapshot file {} is missing; starting from the log alone", getId(), path);
            return;
        }
        if (snapshot.getFile().getFileDigest() != null) MD5FileUtil.verifySavedMD5(path.toFile(), snapshot.getFile().getFileDigest());
        SnapshotFile file = Json.read(Files.readAllBytes(path), SnapshotFile.class);
        TermIndex named = snapshot.getTermIndex();
        if (file.term() != named.getTerm() || file.index() != named.getIndex()) {
            throw new IOException("snapshot " + path + " holds term " + file.term() + " index " + file.index()
                    + " but its name says " + named);
        }
        synchronized (applyLock) {
            machine.restore(file.state());
            setLastAppliedTermIndex(named);
        }
        loadedSnapshotIndex = named.getIndex();
        release(named.getIndex());
    }

    @Override
    public void notifyLeaderReady() {
        long term = currentTerm();
        leadership.ready(term);
        firstLeaderReady.complete(term);
    }

    @Override
    public void notifyNotLeader(Collection<TransactionContext> pendingEntries) {
        leadership.lost();
    }

    @Override
    public void notifyLeaderChanged(RaftGroupMemberId member, RaftPeerId newLeader) {
        if (member.getPeerId().equals(newLeader)) return;
        leadership.lost();
        if (newLeader != null) otherLeaderHeard = new LeaderHeard(newLeader, System.nanoTime());
    }

    /**
     * The last other member this one took for the leader, and when ({@link System#nanoTime}); null before any. Ratis
     * reports a leader each time it is set again, also after this member ran for election in between.
     */
    LeaderHeard otherLeaderHeard() {
        return otherLeaderHeard;
    }

    record LeaderHeard(RaftPeerId leader, long at) {}

    private long currentTerm() {
        try {
            return getServer().join().getDivision(getGroupId()).getInfo().getCurrentTerm();
        } catch (IOException e) {
            // The leader has just applied its first entry of the new term, so this is the same number.
            return getLastAppliedTermIndex().getTerm();
        }
    }

    /** Completes when this replica has applied the entry at {@code index} (or a snapshot past it). */
    CompletableFuture<Void> whenApplied(long index) {
        if (appliedIndex() >= index) return CompletableFuture.completedFuture(null);
        CompletableFuture<Void> f = waiters.computeIfAbsent(index, i -> new CompletableFuture<>());
        release(appliedIndex()); // the index may have moved between the check and the registration
        return f;
    }

    private void release(long applied) {
        for (Map.Entry<Long, CompletableFuture<Void>> e; (e = waiters.firstEntry()) != null && e.getKey() <= applied; ) {
            if (waiters.remove(e.getKey(), e.getValue())) e.getValue().complete(null);
        }
    }

    /** Completes with the term the first time this replica becomes a ready leader (a single node at start). */
    CompletableFuture<Long> firstLeaderReady() {
        return firstLeaderReady;
    }

    long appliedIndex() {
        TermIndex t = getLastAppliedTermIndex();
        return t == null ? RaftLog.INVALID_LOG_INDEX : t.getIndex();
    }

    /** For tests: commands applied since this process started (a restart from a snapshot applies only the tail). */
    long appliesSinceStart() {
        return appliesSinceStart.get();
    }

    /** For tests: the index of the snapshot loaded at start or installed from the leader; -1 if none. */
    long loadedSnapshotIndex() {
        return loadedSnapshotIndex;
    }

    /** The snapshot file's content: the state and the log position it stands for. */
    record SnapshotFile(long term, long index, ClusterState.Snapshot state) {}
}
