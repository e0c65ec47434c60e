package io.understudy.lockstep;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.ratis.client.RaftClient;
import org.apache.ratis.client.RaftClientConfigKeys;
import org.apache.ratis.conf.RaftProperties;
import org.apache.ratis.proto.RaftProtos.ReplicationLevel;
import org.apache.ratis.protocol.RaftClientReply;
import org.apache.ratis.retry.RetryPolicies;

/**
 * Sends inputs to a pair. Each input carries a request id: sent again — after a timeout, a refused attempt, a
 * failover — it is applied once and answered with its first reply. The reply is returned once the input is committed
 * (held by a majority of primary, twin and arbiter, so no single failure loses it) and, while the whole group answers,
 * held by every member: the wait for the last one is bounded by {@code twinWait}, after which the pair is taken as
 * degraded and the reply leaves without it (never waiting on a dead twin longer than its failure timeout).
 */
public final class LockstepClient implements AutoCloseable {
    private static final Duration RETRY_SLEEP = Duration.ofMillis(50);

    private final String pair;
    private final List<LockstepMember.Peer> peers;
    private final Duration attemptTimeout;
    private final int batchLimit;
    private final AtomicReference<Link> link;
    /** Watches for "every member holds index", one per index however many inputs its entry carried. */
    private final java.util.concurrent.ConcurrentHashMap<Long, CompletableFuture<RaftClientReply>> watches = new java.util.concurrent.ConcurrentHashMap<>();
    private final java.util.concurrent.atomic.AtomicLong allHold = new java.util.concurrent.atomic.AtomicLong(-1);
    private final Duration twinWait;
    private final java.util.concurrent.atomic.AtomicLong degradedReplies = new java.util.concurrent.atomic.AtomicLong();
    private volatile boolean degraded;
    private final java.util.concurrent.atomic.AtomicBoolean probing = new java.util.concurrent.atomic.AtomicBoolean();
    private volatile boolean closed;
    private volatile java.util.function.Supplier<String> leaderHint = () -> null;

    /**
     * A Ratis client and the batcher that sends through it, retired together after a failed attempt; {@code startsAt}
     * is the member it asks first.
     */
    private record Link(RaftClient client, Batcher batcher, String startsAt) {}

    public LockstepClient(String pair, List<LockstepMember.Peer> peers, Duration attemptTimeout, Duration twinWait) {
        this(pair, peers, attemptTimeout, twinWait, Batcher.MAX_INPUTS);
    }

    /** @param batchLimit at most this many inputs in one entry of the pair's log (1: no batching; the benchmark's baseline) */
    public LockstepClient(String pair, List<LockstepMember.Peer> peers, Duration attemptTimeout, Duration twinWait, int batchLimit) {
        if (batchLimit < 1) throw new IllegalArgumentException("batchLimit: expected at least 1, got " + batchLimit);
        this.pair = pair;
        this.peers = List.copyOf(peers);
        this.attemptTimeout = attemptTimeout;
        this.batchLimit = batchLimit;
        this.link = new AtomicReference<>(newLink(peers.get(0).id()));
        this.twinWait = twinWait;
    }

    private Link newLink(String startsAt) {
        RaftClient c = raftClient(pair, peers, attemptTimeout, startsAt);
        return new Link(c, new Batcher(c, batchLimit), startsAt);
    }

    static RaftClient raftClient(String pair, List<LockstepMember.Peer> peers, Duration attemptTimeout) {
        return raftClient(pair, peers, attemptTimeout, null);
    }

    /** @param startsAt the member asked first (null: Ratis' choice, the group's first) */
    static RaftClient raftClient(String pair, List<LockstepMember.Peer> peers, Duration attemptTimeout, String startsAt) {
        RaftProperties p = new RaftProperties();
        RaftClientConfigKeys.Rpc.setRequestTimeout(p, LockstepMember.millis(attemptTimeout));
        int attempts = (int) Math.max(3, attemptTimeout.toMillis() / RETRY_SLEEP.toMillis());
        RaftClient.Builder b = RaftClient.newBuilder().setRaftGroup(LockstepMember.group(pair, peers)).setProperties(p)
                .setRetryPolicy(RetryPolicies.retryUpToMaximumCountWithFixedSleep(attempts, LockstepMember.millis(RETRY_SLEEP)));
        if (startsAt != null) b.setLeaderId(org.apache.ratis.protocol.RaftPeerId.valueOf(startsAt));
        return b.build();
    }

    /**
     * Who leads the pair, as a member in this process knows it (a door runs beside its member, which learns of a new
     * leader within an election): a fresh client starts there rather than guessing.
     */
    public LockstepClient leaderHint(java.util.function.Supplier<String> hint) {
        this.leaderHint = hint;
        return this;
    }

    /** The member a fresh client asks first after {@code failed}: the known leader, else the next member round. */
    private String startAfter(String failed) {
        String hint = knownLeader();
        return hint != null && !hint.equals(failed) ? hint : after(failed);
    }

    /** The leader the member beside this client knows, if it is one of the pair's members; else null. */
    private String knownLeader() {
        String hint;
        try {
            hint = leaderHint.get();
        } catch (RuntimeException e) {
            return null;
        }
        return hint != null && peers.stream().anyMatch(p -> p.id().equals(hint)) ? hint : null;
    }

    /** Whether {@code l}'s client talks to another leader than the one the member beside it knows. */
    private boolean leaderMoved(Link l) {
        String hint = knownLeader();
        org.apache.ratis.protocol.RaftPeerId believed = l.client().getLeaderId();
        return hint != null && believed != null && !believed.toString().equals(hint);
    }

    /**
     * Puts a client starting at {@code startsAt} in place of {@code old} (unless another thread replaced it already)
     * and returns the client now in use; the old one is closed later, so calls of other threads still on it can end.
     */
    private Link replace(Link old, String startsAt) {
        Link fresh = newLink(startsAt);
        if (!link.compareAndSet(old, fresh)) {
            closeQuietly(fresh.client());
            return link.get();
        }
        CompletableFuture.delayedExecutor(attemptTimeout.toMillis(), TimeUnit.MILLISECONDS).execute(() -> closeQuietly(old.client()));
        return fresh;
    }

    /**
     * When the member beside this client knows a leader other than the one the client is talking to, the client is
     * replaced by one that starts there: a client that keeps a dead primary as its leader would spend a whole attempt
     * on it first (the lockstep lab: 3 s more of outage after every failover).
     */
    private Link followTheLeader(Link l) {
        String hint = knownLeader();
        return closed || hint == null || !leaderMoved(l) ? l : replace(l, hint);
    }

    /** The member after {@code id} in the group, round. */
    private String after(String id) {
        for (int i = 0; i < peers.size(); i++) if (peers.get(i).id().equals(id)) return peers.get((i + 1) % peers.size()).id();
        return peers.get(0).id();
    }

    /**
     * Applies {@code input} under {@code requestId} and returns its reply, retrying with the same id until
     * {@code deadline} has passed.
     *
     * @throws TimeoutException when no attempt succeeded within the deadline (the input may or may not be applied:
     *                          send it again with the same id to know)
     */
    public byte[] send(String requestId, byte[] input, Duration deadline) throws TimeoutException, InterruptedException {
        if (requestId == null || requestId.isEmpty()) throw new IllegalArgumentException("requestId: expected a non-empty id");
        Entry.Input in = new Entry.Input(requestId, input);
        long end = System.nanoTime() + deadline.toNanos();
        Exception last = null;
        do {
            // The batcher puts the inputs of callers that wait together into one entry, and Ratis' async client pipelines
            // the entries; an attempt is bounded here, and a failed one retires the client (below).
            Link l = followTheLeader(link.get());
            try {
                Batcher.Answer a = await(l, l.batcher().submit(in));
                if (a.reply().isPresent()) {
                    awaitAll(l.client(), a.index());
                    return a.reply().get();
                }
                // The arbiter led and answered a retried call from its retry cache: it has no reply to give.
                last = new IOException("request " + requestId + " was answered by the arbiter, which runs no service");
            } catch (ExecutionException e) {
                last = e.getCause() instanceof Exception x ? x : e;
            } catch (TimeoutException e) {
                last = e;
            }
            // As the control plane's client (state/ratis/GroupClient): once one request of Ratis' ordered async client
            // failed, its sliding window stays closed and later ones fail ("AlreadyClosedException"); a fresh one does not.
            retire(l);
            Thread.sleep(RETRY_SLEEP.toMillis());
        } while (System.nanoTime() < end);
        TimeoutException t = new TimeoutException("request " + requestId + ": no reply within " + deadline.toMillis() + " ms"
                + (last == null ? "" : " (last: " + last + ")"));
        if (last != null) t.initCause(last);
        throw t;
    }

    /**
     * Waits for an attempt at most {@code attemptTimeout}, and gives it up as soon as the member beside this client knows
     * a leader other than the one the client talks to: an input sent to a primary that just died waits on its dark link
     * otherwise (the lockstep lab: 3 s more of outage after a failover).
     */
    private Batcher.Answer await(Link l, CompletableFuture<Batcher.Answer> answer)
            throws ExecutionException, TimeoutException, InterruptedException {
        long end = System.nanoTime() + attemptTimeout.toNanos();
        while (true) {
            long left = end - System.nanoTime();
            if (left <= 0) throw new TimeoutException("no answer within " + attemptTimeout.toMillis() + " ms");
            try {
                return answer.get(Math.min(LEADER_LOOK.toNanos(), left), TimeUnit.NANOSECONDS);
            } catch (TimeoutException notYet) {
                if (leaderMoved(l)) throw new TimeoutException("the pair's leader is now " + knownLeader() + ", not " + l.client().getLeaderId());
            }
        }
    }

    /** How often a waiting attempt looks whether the pair's leader moved. */
    private static final Duration LEADER_LOOK = Duration.ofMillis(100);

    /**
     * A fresh client starts at the member after the one the failed client started at. Found by the lockstep lab: a
     * fresh client always began with the primary, and a fenced primary's link is dark — no refusal, just silence — so
     * every attempt spent its whole time on it and was retired before Ratis tried the twin: the pair served nobody
     * until the old primary came back (33 s of no replies). Now it starts at the leader a member beside it knows, or
     * else at the next member round, so the twin is asked first within two retirements.
     */
    private void retire(Link failed) {
        if (!closed) replace(failed, startAfter(failed.startsAt()));
    }

    private static void closeQuietly(RaftClient c) {
        try {
            c.close();
        } catch (IOException | RuntimeException e) {
            // nothing to do: it was being dropped
        }
    }

    /**
     * Waits until every member holds the entry at {@code index}, at most {@code twinWait}. Once a wait ran out the pair
     * is degraded: replies then leave on the majority's commit, and a background watch on a later reply tells when
     * the group is whole again — so a dead member costs one wait, not one per input.
     */
    private void awaitAll(RaftClient c, long index) throws InterruptedException {
        if (degraded) {
            if (probing.compareAndSet(false, true)) {
                c.async().watch(index, ReplicationLevel.ALL).orTimeout(twinWait.toMillis(), TimeUnit.MILLISECONDS)
                        .whenComplete((r, e) -> {
                            if (e == null && r != null && r.isSuccess()) degraded = false;
                            probing.set(false);
                        });
            }
            degradedReplies.incrementAndGet();
            return;
        }
        if (index <= allHold.get()) return;
        try {
            CompletableFuture<RaftClientReply> w = watches.get(index);
            if (w == null) {
                CompletableFuture<RaftClientReply> mine = new CompletableFuture<>();
                w = watches.putIfAbsent(index, mine);
                if (w == null) {
                    w = mine;
                    c.async().watch(index, ReplicationLevel.ALL).whenComplete((r, e) -> {
                        if (e == null && r != null && r.isSuccess()) allHold.accumulateAndGet(index, Math::max);
                        watches.remove(index);
                        if (e != null) mine.completeExceptionally(e);
                        else mine.complete(r);
                    });
                }
            }
            RaftClientReply held = w.get(twinWait.toMillis(), TimeUnit.MILLISECONDS);
            if (held == null || !held.isSuccess()) throw new ExecutionException("watch of index " + index + " failed", held == null ? null : held.getException());
        } catch (ExecutionException | TimeoutException e) {
            degraded = true;
            degradedReplies.incrementAndGet();
        }
    }

    /** Whether the last replies left without every member holding their input (a member is down or behind). */
    public boolean degraded() {
        return degraded;
    }

    /**
     * Makes {@code peers} the pair's group (Raft's membership change, committed by the old and the new majority). A
     * member added here — a new twin, or one that resyncs from empty — is sent a snapshot and the inputs after it by
     * the leader before the change commits; Ratis does not feed a member that comes back empty under the same
     * membership (its leader keeps the old match index for it).
     */
    public void reconfigure(List<LockstepMember.Peer> peers) throws IOException {
        RaftClientReply r = link.get().client().admin().setConfiguration(LockstepMember.raftPeers(peers));
        if (!r.isSuccess()) throw new IOException("reconfigure to " + peers.stream().map(LockstepMember.Peer::id).toList() + ": " + r.getException());
    }

    /** Inputs per entry of the pair's log this client sent so far, on its current Ratis client. */
    public double inputsPerEntry() {
        return link.get().batcher().inputsPerEntry();
    }

    /** Replies that left before every member held their input (the pair was degraded). */
    public long degradedReplies() {
        return degradedReplies.get();
    }

    @Override
    public void close() throws IOException {
        closed = true;
        link.get().client().close();
    }
}
