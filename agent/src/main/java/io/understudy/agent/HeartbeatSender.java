package io.understudy.agent;

import io.understudy.drivers.agent.AgentProtocol;
import io.understudy.drivers.agent.AgentProtocol.HardwareReport;
import io.understudy.drivers.agent.AgentProtocol.Heartbeat;
import io.understudy.drivers.agent.AgentProtocol.Inventory;
import io.understudy.drivers.agent.Signer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Posts signed heartbeats and hardware events to every control-plane node, so whichever node leads next already
 * knows who is alive (invariant 5). Fire and forget: a node that is down is simply not told, and a slow one never
 * delays the others.
 */
public final class HeartbeatSender {
    private final List<URI> nodes;
    private final long boot;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofMillis(500)).build();
    private final Map<String, AtomicLong> seq = new ConcurrentHashMap<>();
    private final Map<String, Slot> slots = new ConcurrentHashMap<>();
    private final Replies replies;
    /** How long one request may take; a heartbeat older than that is worthless anyway. */
    private final Duration requestTimeout;

    /** What a node answered to an accepted heartbeat, and when that heartbeat was sent (epoch ms). */
    @FunctionalInterface
    public interface Replies {
        void replied(int node, long sentAt, AgentProtocol.HeartbeatReply reply);

        Replies NONE = (node, sentAt, reply) -> { };
    }

    /**
     * @param nodes every control-plane node's base URL
     * @param boot this run of the agent, e.g. its start time in epoch ms: a node accepts messages of a newer run
     */
    public HeartbeatSender(List<URI> nodes, long boot) {
        this(nodes, boot, Replies.NONE);
    }

    /** @param replies told of each node's answer to an accepted heartbeat (self-fencing counts on them) */
    public HeartbeatSender(List<URI> nodes, long boot, Replies replies) {
        this(nodes, boot, replies, Duration.ofSeconds(1));
    }

    /** For tests: a request timeout other than one second. */
    HeartbeatSender(List<URI> nodes, long boot, Replies replies, Duration requestTimeout) {
        this.requestTimeout = requestTimeout;
        if (nodes.isEmpty()) throw new IllegalArgumentException("expected at least one control-plane node to report to");
        this.nodes = List.copyOf(nodes);
        this.boot = boot;
        this.replies = replies;
    }

    public int nodeCount() {
        return nodes.size();
    }

    /**
     * One heartbeat in flight per server and node (a second only beside one that is stuck, see {@code drain}): a node
     * that is slow or down gets the newest heartbeat when it answers, not a backlog of stale ones.
     */
    public void heartbeat(String server, String secret, Inventory inventory) {
        heartbeat(server, secret, inventory, null, System.currentTimeMillis());
    }

    /**
     * @param addresses every address on the server's identity interface, or null when not reported
     * @param sentAt    the send time by the caller's clock (epoch ms), handed back with each node's reply
     */
    public void heartbeat(String server, String secret, Inventory inventory, List<String> addresses, long sentAt) {
        byte[] body = AgentProtocol.bytes(new Heartbeat(server, boot, next(server), inventory, addresses));
        String signature = Signer.sign(secret, body);
        long now = System.nanoTime();
        for (int i = 0; i < nodes.size(); i++) {
            URI node = nodes.get(i);
            Slot slot = slots.computeIfAbsent(server + " " + node, k -> new Slot());
            long previousCall;
            synchronized (slot) {
                previousCall = slot.lastCall;
                slot.lastCall = now;
            }
            slot.pending.set(new Pending(body, signature, sentAt));
            drain(i, slot, previousCall);
        }
    }

    /**
     * At most this many heartbeats in flight per server and node. One is the rule; more only when the one in flight
     * has been waiting since before the previous heartbeat (see {@link #drain}).
     */
    static final int MAX_IN_FLIGHT = 3;

    private record Pending(byte[] body, String signature, long sentAt) {}

    private static final class Slot {
        final java.util.concurrent.atomic.AtomicReference<Pending> pending = new java.util.concurrent.atomic.AtomicReference<>();
        int inFlight; // guarded by this
        long lastSent = Long.MIN_VALUE; // System.nanoTime of the newest send; guarded by this
        long lastCall = Long.MIN_VALUE; // System.nanoTime of the newest heartbeat call; guarded by this
    }

    /**
     * Sends the newest pending heartbeat when nothing is in flight. When the one in flight was sent before the previous
     * heartbeat call, it is stuck (a request sent into a moment of packet loss waits for TCP's retransmission, 200 ms,
     * then 400, 800... while the network is long back), so the newest goes alongside it on a fresh connection: the
     * silence a flap costs is then about the flap, not TCP's back-off, which at a 1 s failure timeout fails a healthy
     * server over. {@code previousCall}: the heartbeat call before this one, or {@code Long.MIN_VALUE} from a completion
     * (which never adds a second request).
     */
    private void drain(int node, Slot slot, long previousCall) {
        Pending next;
        synchronized (slot) {
            if (slot.inFlight > 0 && (slot.inFlight >= MAX_IN_FLIGHT || slot.lastSent - previousCall > 0 || previousCall == Long.MIN_VALUE)) return;
            next = slot.pending.getAndSet(null);
            if (next == null) return;
            slot.inFlight++;
            slot.lastSent = System.nanoTime();
        }
        http.sendAsync(request(nodes.get(node), AgentProtocol.HEARTBEAT_PATH, next.body(), next.signature(), requestTimeout),
                        HttpResponse.BodyHandlers.ofByteArray())
                .whenComplete((r, e) -> {
                    synchronized (slot) {
                        slot.inFlight--;
                    }
                    if (e == null && r.statusCode() / 100 == 2) answered(node, next.sentAt(), r.body());
                    if (slot.pending.get() != null) drain(node, slot, Long.MIN_VALUE);
                });
    }

    private void answered(int node, long sentAt, byte[] body) {
        AgentProtocol.HeartbeatReply reply;
        try {
            reply = AgentProtocol.read(body, AgentProtocol.HeartbeatReply.class);
        } catch (java.io.IOException | RuntimeException e) {
            reply = new AgentProtocol.HeartbeatReply(null, null);
        }
        replies.replied(node, sentAt, reply);
    }

    /** Every event is sent, to every node: an event is news, not a state that the next one replaces. */
    public void hardwareEvent(String server, String secret, String text) {
        byte[] body = AgentProtocol.bytes(new HardwareReport(server, boot, next(server), text));
        String signature = Signer.sign(secret, body);
        for (URI node : nodes) send(node, AgentProtocol.EVENT_PATH, body, signature);
    }

    private long next(String server) {
        return seq.computeIfAbsent(server, s -> new AtomicLong()).incrementAndGet();
    }

    private java.util.concurrent.CompletableFuture<?> send(URI node, String path, byte[] body, String signature) {
        return http.sendAsync(request(node, path, body, signature, requestTimeout), HttpResponse.BodyHandlers.discarding());
    }

    private static HttpRequest request(URI node, String path, byte[] body, String signature, Duration timeout) {
        return HttpRequest.newBuilder(node.resolve(path))
                .timeout(timeout)
                .header("Content-Type", "application/json")
                .header(AgentProtocol.SIGNATURE_HEADER, signature)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                .build();
    }
}
