package io.understudy.server;

import io.javalin.Javalin;
import io.javalin.http.Context;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.understudy.drivers.AgentListener;
import io.understudy.drivers.DriverException;
import io.understudy.drivers.agent.AgentProtocol;
import io.understudy.drivers.agent.AgentProtocol.HardwareReport;
import io.understudy.drivers.agent.AgentProtocol.Heartbeat;
import io.understudy.drivers.agent.AgentProtocol.Inventory;
import io.understudy.drivers.agent.AgentSecrets;
import io.understudy.drivers.agent.Signer;
import io.understudy.model.Resources;
import io.understudy.model.config.DataCenterConfig;
import io.understudy.model.config.ServerSpec;
import io.understudy.model.time.Scheduler;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where agents report to this node, leader or not: heartbeats and hardware events, each signed with the agent's
 * secret. A message that fails its signature, names a server without an agent, repeats one already accepted, or
 * comes from an older run of the agent (so cannot be a replay of a dead server's heartbeat) is dropped and counted ({@code understudy_agent_messages_total{result}}), never passed on.
 * Arrival is stamped with this node's own clock, so agents' clocks need not agree with ours.
 */
public final class AgentReceiver {
    private static final Logger log = LoggerFactory.getLogger(AgentReceiver.class);

    /** How far behind the newest message an agent's message may arrive (they travel concurrently) and still count once. */
    static final int WINDOW = 256;

    /** Per agent: its current run, the highest sequence number accepted, and which of the last {@link #WINDOW} were. */
    private static final class Seen {
        long boot = Long.MIN_VALUE;
        long max;
        final java.util.BitSet window = new java.util.BitSet(WINDOW);

        /** True the first time a message of the current (or a newer) run arrives; a repeat or older run is false. */
        synchronized boolean accept(long b, long seq) {
            if (b < boot) return false;
            if (b > boot) {
                boot = b;
                max = seq;
                window.clear();
                window.set((int) Math.floorMod(seq, (long) WINDOW));
                return true;
            }
            if (seq > max) {
                for (long i = max + 1; i < seq && i <= max + WINDOW; i++) window.clear((int) Math.floorMod(i, (long) WINDOW));
                max = seq;
                window.set((int) Math.floorMod(seq, (long) WINDOW));
                return true;
            }
            if (seq <= max - WINDOW) return false;
            int slot = (int) Math.floorMod(seq, (long) WINDOW);
            if (window.get(slot)) return false;
            window.set(slot);
            return true;
        }
    }

    private final Supplier<DataCenterConfig> config;
    private final AgentSecrets secrets;
    private final AgentListener detector;
    private final Scheduler clock;
    private final MeterRegistry registry;
    private final Map<String, Seen> last = new ConcurrentHashMap<>();
    private final Map<String, Inventory> inventory = new ConcurrentHashMap<>();
    private final Map<String, Counter> counters = new ConcurrentHashMap<>();
    private volatile java.util.function.Function<String, AgentProtocol.HeartbeatReply> replies =
            server -> new AgentProtocol.HeartbeatReply(null, null);

    /**
     * What an accepted heartbeat is answered with: the group's self-fence timeout and the profiles the replicated
     * state has on the server (any node can say: every replica has the state).
     */
    public AgentReceiver replies(java.util.function.Function<String, AgentProtocol.HeartbeatReply> r) {
        replies = r;
        return this;
    }

    public AgentReceiver(Supplier<DataCenterConfig> config, AgentSecrets secrets, AgentListener detector, Scheduler clock,
                         MeterRegistry registry) {
        this.config = config;
        this.secrets = secrets;
        this.detector = detector;
        this.clock = clock;
        this.registry = registry;
    }

    public void register(Javalin app) {
        app.post(AgentProtocol.HEARTBEAT_PATH, ctx -> {
            Heartbeat h = verified(ctx, Heartbeat.class, Heartbeat::server, Heartbeat::boot, Heartbeat::seq);
            if (h == null) return;
            if (h.inventory() != null) inventory.put(h.server(), h.inventory());
            detector.heartbeat(h.server(), clock.now());
            if (h.addresses() != null) detector.addresses(h.server(), h.addresses(), clock.now());
            if (h.inventory() != null) detector.inventory(h.server(), resources(h.inventory()), clock.now());
            ctx.json(replies.apply(h.server()));
        });
        app.post(AgentProtocol.EVENT_PATH, ctx -> {
            HardwareReport r = verified(ctx, HardwareReport.class, HardwareReport::server, HardwareReport::boot, HardwareReport::seq);
            if (r == null) return;
            log.warn("hardware event from the agent of {}: {}", r.server(), r.text());
            detector.hardwareEvent(r.server(), r.text(), clock.now());
            ctx.json(Map.of("ok", true));
        });
    }

    /** An agent's inventory as the control plane counts it: a model the agent could not read ("unknown") is not reported. */
    static Resources resources(Inventory i) {
        String model = i.model() == null || i.model().isBlank() || i.model().equalsIgnoreCase("unknown") ? null : i.model();
        return new Resources(model, i.cores(), i.memoryGib());
    }

    /** The inventory the server's agent reported last, if it has reported to this node. */
    public Optional<Inventory> inventory(String server) {
        return Optional.ofNullable(inventory.get(server));
    }

    private <T> T verified(Context ctx, Class<T> type, java.util.function.Function<T, String> server,
                           java.util.function.ToLongFunction<T> boot, java.util.function.ToLongFunction<T> seq) {
        byte[] body = ctx.bodyAsBytes();
        T message;
        try {
            message = AgentProtocol.read(body, type);
        } catch (Exception e) {
            return drop(ctx, "malformed", 400, "unreadable " + type.getSimpleName() + ": " + e.getMessage());
        }
        String id = server.apply(message);
        Optional<ServerSpec> spec = config.get().server(id == null ? "" : id);
        if (spec.isEmpty() || spec.get().agent() == null) {
            return drop(ctx, "unknown-server", 404, "no server '" + id + "' with an agent in the configuration");
        }
        String secret;
        try {
            secret = secrets.secret(id, spec.get().agent());
        } catch (DriverException e) {
            return drop(ctx, "no-secret", 500, e.getMessage());
        }
        if (!Signer.verify(secret, body, ctx.header(AgentProtocol.SIGNATURE_HEADER))) {
            return drop(ctx, "bad-signature", 401, type.getSimpleName() + " for " + id + " does not carry a valid signature");
        }
        long b = boot.applyAsLong(message);
        long n = seq.applyAsLong(message);
        if (!last.computeIfAbsent(id, k -> new Seen()).accept(b, n)) {
            return drop(ctx, "replayed", 409, type.getSimpleName() + " " + b + "/" + n + " from " + id
                    + " was received already, or belongs to an older run of the agent");
        }
        count("accepted");
        return message;
    }

    private <T> T drop(Context ctx, String reason, int status, String message) {
        count(reason);
        log.warn("agent message dropped ({}): {}", reason, message);
        ctx.status(status).json(Map.of("error", message, "reason", reason));
        return null;
    }

    /** Every heartbeat counts here: the meter is built once per result, not per message. */
    private void count(String result) {
        counters.computeIfAbsent(result, r -> Counter.builder("understudy_agent_messages")
                .description("messages from agents, by what became of them").tag("result", r).register(registry)).increment();
    }
}
