package io.understudy.state.ratis;

import java.io.IOException;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.ratis.client.RaftClient;
import org.apache.ratis.protocol.Message;
import org.apache.ratis.protocol.RaftClientReply;
import org.apache.ratis.protocol.RaftPeerId;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends writes to the group through a Ratis async client, and swaps in a fresh client after any failure.
 *
 * <p>Why: once one request of Ratis' ordered async client fails (retries exhausted), its sliding window stays closed
 * and every later request fails with {@code AlreadyClosedException}, even when the group is healthy again. The old
 * client is closed only after the request timeout, so requests of other threads still in flight on it can finish.
 */
final class GroupClient implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(GroupClient.class);

    private final RatisSettings settings;
    private final AtomicReference<RaftClient> current;
    private final Set<RaftClient> retiring = ConcurrentHashMap.newKeySet();
    private volatile boolean closed;

    GroupClient(RatisSettings settings) {
        this.settings = settings;
        this.current = new AtomicReference<>(RatisGroup.client(settings));
    }

    /** Sends one write and waits at most {@code timeout} for the leader's reply. */
    RaftClientReply send(Message message, Duration timeout) throws ExecutionException, TimeoutException, InterruptedException {
        RaftClient client = current.get();
        try {
            return client.async().send(message).get(timeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (ExecutionException | TimeoutException e) {
            retire(client);
            throw e;
        }
    }

    /**
     * Asks {@code leader} to step down (Ratis' transfer of leadership to nobody): the group elects again, in a new
     * term. Blocking, bounded by Ratis' retries and {@code timeout}.
     */
    RaftClientReply stepDownLeader(RaftPeerId leader, Duration timeout) throws IOException {
        return current.get().admin().transferLeadership(null, leader, timeout.toMillis());
    }

    private void retire(RaftClient failed) {
        if (closed) return; // close() closes the current client; a fresh one would never be closed
        RaftClient fresh = RatisGroup.client(settings);
        if (!current.compareAndSet(failed, fresh)) {
            closeQuietly(fresh); // another thread already replaced it
            return;
        }
        if (closed) closeQuietly(fresh); // close() ran meanwhile and may have missed it
        retiring.add(failed);
        CompletableFuture.delayedExecutor(settings.requestTimeout().toMillis(), TimeUnit.MILLISECONDS).execute(() -> {
            if (retiring.remove(failed)) closeQuietly(failed);
        });
    }

    @Override
    public void close() {
        closed = true;
        closeQuietly(current.get());
        retiring.removeIf(c -> {
            closeQuietly(c);
            return true;
        });
    }

    private void closeQuietly(RaftClient client) {
        try {
            client.close();
        } catch (IOException | RuntimeException e) {
            LOG.warn("{}: closing a Raft client failed", settings.nodeId(), e);
        }
    }
}
