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
        if (nodes.isEmpty()) throw new IllegalArgumentException("expected at least one control-plane node to report to");
        this.nodes = List.copyOf(nodes);
        this.boot = boot;
        this.replies = replies;
    }

    public int nodeCount() {
        return nodes.size();
    }

    /**
     * One heartbeat in flight per server and node: a node that is slow or down gets the newest heartbeat when it
     * answers, not a backlog of stale ones.
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
        for (int i = 0; i < nodes.size(); i++) {
            URI node = nodes.get(i);
            Slot slot = slots.computeIfAbsent(server + " " + node, k -> new Slot());
            slot.pending.set(new Pending(body, signature, sentAt));
            drain(i, slot);
        }
    }

    private record Pending(byte[] body, String signature, long sentAt) {}

    private static final class Slot {
        final java.util.concurrent.atomic.AtomicReference<Pending> pending = new java.util.concurrent.atomic.AtomicReference<>();
        final java.util.concurrent.atomic.AtomicBoolean busy = new java.util.concurrent.atomic.AtomicBoolean();
    }

    private void drain(int node, Slot slot) {
        if (!slot.busy.compareAndSet(false, true)) return;
        Pending next = slot.pending.getAndSet(null);
        if (next == null) {
            slot.busy.set(false);
            if (slot.pending.get() != null) drain(node, slot);
            return;
        }
        http.sendAsync(request(nodes.get(node), AgentProtocol.HEARTBEAT_PATH, next.body(), next.signature()),
                        HttpResponse.BodyHandlers.ofByteArray())
                .whenComplete((r, e) -> {
                    slot.busy.set(false);
                    if (e == null && r.statusCode() / 100 == 2) answered(node, next.sentAt(), r.body());
                    if (slot.pending.get() != null) drain(node, slot);
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
        return http.sendAsync(request(node, path, body, signature), HttpResponse.BodyHandlers.discarding());
    }

    private static HttpRequest request(URI node, String path, byte[] body, String signature) {
        return HttpRequest.newBuilder(node.resolve(path))
                .timeout(Duration.ofSeconds(1))
                .header("Content-Type", "application/json")
                .header(AgentProtocol.SIGNATURE_HEADER, signature)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                .build();
    }
}
