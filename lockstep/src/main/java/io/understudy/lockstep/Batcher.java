package io.understudy.lockstep;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.apache.ratis.client.RaftClient;
import org.apache.ratis.protocol.Message;
import org.apache.ratis.protocol.RaftClientReply;
import org.apache.ratis.thirdparty.com.google.protobuf.ByteString;

/**
 * Puts the inputs of many callers into one Raft entry (group commit). A commit of the pair's log costs about the same
 * for one input as for hundreds — on a 2-core machine Ratis commits a few hundred entries a second whatever they hold
 * (BENCHMARKS.md) — so the inputs that arrive while {@link #IN_FLIGHT} entries are committing wait and leave together
 * in the next one. A lone caller is sent at once: batching adds no wait when the pair is idle.
 *
 * <p>One per Ratis client: when the client is retired after a failure, its batcher goes with it, and every caller
 * of the failed entry retries under its own request id (applied once, whichever entry carried it first).
 */
final class Batcher {
    /** Entries committing at once; more inputs wait and leave together when one is done. */
    static final int IN_FLIGHT = 4;
    /** At most this many inputs, and about {@link #MAX_BYTES}, in one entry. */
    static final int MAX_INPUTS = 512;
    static final int MAX_BYTES = 1 << 20;

    /** An input's reply (empty: answered by the arbiter, retry) and the log index of the entry that carried it. */
    record Answer(Optional<byte[]> reply, long index) {}

    private record Pending(Entry.Input input, CompletableFuture<Answer> answer) {}

    private final RaftClient client;
    private final int limit;
    private final ArrayDeque<Pending> waiting = new ArrayDeque<>();
    private int inFlight;   // guarded by this
    private long entries;   // guarded by this
    private long inputs;    // guarded by this

    /** @param limit at most this many inputs in one entry (1: each input alone) */
    Batcher(RaftClient client, int limit) {
        this.client = client;
        this.limit = Math.min(limit, MAX_INPUTS);
    }

    CompletableFuture<Answer> submit(Entry.Input input) {
        Pending p = new Pending(input, new CompletableFuture<>());
        synchronized (this) {
            waiting.add(p);
        }
        sendWaiting();
        return p.answer();
    }

    private void sendWaiting() {
        List<Pending> batch = new ArrayList<>();
        synchronized (this) {
            if (inFlight >= IN_FLIGHT || waiting.isEmpty()) return;
            int bytes = 0;
            while (!waiting.isEmpty() && batch.size() < limit
                    && (batch.isEmpty() || bytes + size(waiting.peek().input()) <= MAX_BYTES)) {
                Pending p = waiting.poll();
                bytes += size(p.input());
                batch.add(p);
            }
            inFlight++;
            entries++;
            inputs += batch.size();
        }
        Message m = Message.valueOf(ByteString.copyFrom(Entry.encode(new Entry.Batch(batch.stream().map(Pending::input).toList()))));
        CompletableFuture<RaftClientReply> sent;
        try {
            sent = client.async().send(m);
        } catch (RuntimeException e) {
            sent = CompletableFuture.failedFuture(e);
        }
        sent.whenComplete((r, e) -> {
            synchronized (this) {
                inFlight--;
            }
            answer(batch, r, e);
            sendWaiting();
        });
    }

    private static void answer(List<Pending> batch, RaftClientReply r, Throwable e) {
        if (e == null && r != null && !r.isSuccess()) e = r.getException();
        if (e != null || r == null) {
            Throwable why = e != null ? e : new IllegalStateException("no reply");
            for (Pending p : batch) p.answer().completeExceptionally(why);
            return;
        }
        // Empty (the arbiter's mark, or not one reply per input): every caller retries under its request id.
        Optional<List<byte[]>> replies = Reply.readAll(r.getMessage().getContent().toByteArray()).filter(l -> l.size() == batch.size());
        for (int i = 0; i < batch.size(); i++) {
            int at = i;
            batch.get(i).answer().complete(new Answer(replies.map(l -> l.get(at)), r.getLogIndex()));
        }
    }

    private static int size(Entry.Input in) {
        return in.payload().length + in.requestId().length() + 8;
    }

    /** Inputs sent per entry so far (1.0: no batching happened). */
    synchronized double inputsPerEntry() {
        return entries == 0 ? 0 : (double) inputs / entries;
    }
}
