package io.understudy.agent;

import io.javalin.Javalin;
import io.javalin.http.Context;
import io.understudy.drivers.CallContext;
import io.understudy.drivers.DriverException;
import io.understudy.drivers.IdentityDriver;
import io.understudy.drivers.WorkloadDriver;
import io.understudy.drivers.agent.AgentProtocol;
import io.understudy.drivers.agent.AgentProtocol.Action;
import io.understudy.drivers.agent.AgentProtocol.Answer;
import io.understudy.drivers.agent.AgentProtocol.Order;
import io.understudy.drivers.agent.Signer;
import java.time.Clock;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The agent's side of the wire: takes signed orders from the control plane and carries them out. An order that fails
 * its signature, is older than {@link AgentProtocol#ORDER_WINDOW}, repeats a nonce, or comes from an older Raft term
 * than one already obeyed is dropped, counted, and answered with an error — never acted on. One server hosts one
 * agent; the simulated data center hosts all of its servers' agents behind one port.
 */
public final class AgentServer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(AgentServer.class);

    private final Map<String, String> secrets;
    private final IdentityDriver identity;
    private final WorkloadDriver workload;
    private final DataKeeper data;
    private final Clock clock;
    private final Map<String, Long> highestTerm = new ConcurrentHashMap<>();
    private final LinkedHashMap<String, Long> nonces = new LinkedHashMap<>();
    private final Map<String, AtomicLong> rejected = new ConcurrentHashMap<>();
    private final AtomicLong accepted = new AtomicLong();
    private Javalin app;

    /**
     * @param secrets each hosted server's secret, by server id
     * @param identity carries out identity orders for the hosted servers
     * @param workload carries out workload orders for the hosted servers
     */
    public AgentServer(Map<String, String> secrets, IdentityDriver identity, WorkloadDriver workload, Clock clock) {
        this(secrets, identity, workload, null, clock);
    }

    /** @param data carries out data orders and serves backups to ticket holders; null where no data is kept */
    public AgentServer(Map<String, String> secrets, IdentityDriver identity, WorkloadDriver workload, DataKeeper data, Clock clock) {
        this.secrets = Map.copyOf(secrets);
        this.identity = identity;
        this.workload = workload;
        this.data = data;
        this.clock = clock;
    }

    public AgentServer start(String bind, int port) {
        return start(bind, port, app -> { });
    }

    /** @param extra more routes on the same port (the simulator's fault injection) */
    public AgentServer start(String bind, int port, java.util.function.Consumer<Javalin> extra) {
        app = Javalin.create(cfg -> cfg.showJavalinBanner = false);
        extra.accept(app);
        for (Action a : Action.values()) {
            app.post("/v1/agents/{server}/" + a.path, ctx -> handle(ctx, a));
        }
        app.get(AgentProtocol.backupPath("{server}", "{profile}", "{name}"), this::serveBackup);
        app.get("/v1/status", ctx -> ctx.json(Map.of("servers", secrets.keySet(), "accepted", accepted.get(),
                "rejected", rejectedCounts())));
        app.start(bind, port);
        return this;
    }

    public int port() {
        return app.port();
    }

    /** Orders dropped, by reason: signature, stale, replayed, term, unknown-server, malformed. */
    public Map<String, Long> rejectedCounts() {
        Map<String, Long> m = new HashMap<>();
        rejected.forEach((k, v) -> m.put(k, v.get()));
        return m;
    }

    private void reject(Context ctx, String reason, int status, DriverException.Kind kind, String message) {
        rejected.computeIfAbsent(reason, k -> new AtomicLong()).incrementAndGet();
        log.warn("order dropped ({}): {}", reason, message);
        ctx.status(status).json(new Answer(kind.name(), message, null, null));
    }

    private void handle(Context ctx, Action action) {
        String server = ctx.pathParam("server");
        String secret = secrets.get(server);
        if (secret == null) {
            reject(ctx, "unknown-server", 404, DriverException.Kind.FAILED, "no agent for server '" + server + "' here");
            return;
        }
        byte[] body = ctx.bodyAsBytes();
        if (!Signer.verify(secret, body, ctx.header(AgentProtocol.SIGNATURE_HEADER))) {
            reject(ctx, "signature", 401, DriverException.Kind.AUTH, "order for " + server + " does not carry a valid signature");
            return;
        }
        Order order;
        try {
            order = AgentProtocol.read(body, Order.class);
        } catch (Exception e) {
            reject(ctx, "malformed", 400, DriverException.Kind.FAILED, "unreadable order: " + e.getMessage());
            return;
        }
        if (!server.equals(order.server()) || order.profile() == null || order.nonce() == null) {
            reject(ctx, "malformed", 400, DriverException.Kind.FAILED, "order names server '" + order.server()
                    + "' on the path of '" + server + "', or lacks a profile or nonce");
            return;
        }
        long now = clock.millis();
        if (Math.abs(now - order.sentAt()) > AgentProtocol.ORDER_WINDOW.toMillis()) {
            reject(ctx, "stale", 409, DriverException.Kind.REFUSED, "order sent at " + order.sentAt() + " is outside the "
                    + AgentProtocol.ORDER_WINDOW.toSeconds() + " s window of this agent's clock (" + now + ")");
            return;
        }
        if (!remember(order.nonce(), now)) {
            reject(ctx, "replayed", 409, DriverException.Kind.REFUSED, "order " + order.nonce() + " was already received");
            return;
        }
        // The term is a fencing token: a deposed leader that still believes it leads must not undo the new one's work.
        long seen = highestTerm.merge(server, order.term(), Math::max);
        if (order.term() < seen) {
            reject(ctx, "term", 409, DriverException.Kind.REFUSED, "order from term " + order.term() + " refused: term " + seen + " seen");
            return;
        }
        CallContext call = new CallContext(order.term(), order.job(), order.step());
        try {
            Answer answer = switch (action) {
                case ASSIGN -> { identity.assign(server, order.profile(), call); yield Answer.ok("identity of " + order.profile().id() + " applied"); }
                case RELEASE -> { identity.release(server, order.profile(), call); yield Answer.ok("identity of " + order.profile().id() + " released"); }
                case HOLDS -> new Answer(null, null, identity.holds(server, order.profile(), call), null);
                case START -> { workload.start(server, order.profile(), call); yield Answer.ok("workload of " + order.profile().id() + " started"); }
                case STOP -> { workload.stop(server, order.profile(), call); yield Answer.ok("workload of " + order.profile().id() + " stopped"); }
                case MONITOR -> new Answer(null, null, null, workload.monitor(server, order.profile(), call).name());
                case BACKUP -> new Answer(null, "backup taken", null, null, data().backup(server, order.profile()), null);
                case BACKUPS -> new Answer(null, null, null, null, null, data().backups(server, order.profile()));
                case COPY -> {
                    if (order.transfer() == null) throw new DriverException(DriverException.Kind.FAILED, "copy order without a transfer");
                    data().receive(server, order.profile(), order.transfer());
                    yield Answer.ok("backup " + order.transfer().backup().name() + " of " + order.profile().id() + " copied from " + order.transfer().source());
                }
                case RESTORE -> new Answer(null, null, null, null, data().restore(server, order.profile()).orElse(null), null);
            };
            accepted.incrementAndGet();
            ctx.json(answer);
        } catch (DriverException e) {
            accepted.incrementAndGet();
            // The kind travels separately; the message without its "kind: " prefix, which the caller adds again.
            String message = e.getMessage().substring(e.kind().name().length() + 2);
            ctx.status(e.kind() == DriverException.Kind.REFUSED ? 409 : 500).json(new Answer(e.kind().name(), message, null, null));
        }
    }

    private DataKeeper data() throws DriverException {
        if (data == null) throw new DriverException(DriverException.Kind.FAILED, "this agent keeps no data (no data section in its configuration)");
        return data;
    }

    /**
     * A backup file for a peer agent that holds a ticket the control plane made with this server's secret. A missing,
     * expired or forged ticket is refused and counted like a forged order.
     */
    private void serveBackup(Context ctx) throws java.io.IOException {
        String server = ctx.pathParam("server");
        String profile = ctx.pathParam("profile");
        String name = ctx.pathParam("name");
        String secret = secrets.get(server);
        long expires;
        try {
            expires = Long.parseLong(ctx.queryParam("expires"));
        } catch (NumberFormatException e) {
            expires = -1;
        }
        if (secret == null || data == null) {
            reject(ctx, "unknown-server", 404, DriverException.Kind.FAILED, "no backups for server '" + server + "' here");
            return;
        }
        if (!Signer.matches(Signer.ticket(secret, server, profile, name, expires), ctx.queryParam("ticket"))) {
            reject(ctx, "signature", 401, DriverException.Kind.AUTH, "copy of " + profile + "/" + name + " without a valid ticket");
            return;
        }
        if (clock.millis() > expires) {
            reject(ctx, "stale", 409, DriverException.Kind.REFUSED, "ticket for " + profile + "/" + name + " expired at " + expires);
            return;
        }
        var file = data.file(server, profile, name);
        if (file.isEmpty()) {
            ctx.status(404).json(new Answer(DriverException.Kind.FAILED.name(), "no good backup " + name + " of " + profile + " here", null, null));
            return;
        }
        ctx.contentType("application/octet-stream");
        ctx.header("Content-Length", Long.toString(java.nio.file.Files.size(file.get())));
        ctx.result(java.nio.file.Files.newInputStream(file.get()));
    }

    /** Keeps nonces for twice the order window, oldest first; false when this one was seen already. */
    private synchronized boolean remember(String nonce, long now) {
        var oldest = nonces.entrySet().iterator();
        while (oldest.hasNext() && now - oldest.next().getValue() > 2 * AgentProtocol.ORDER_WINDOW.toMillis()) oldest.remove();
        return nonces.putIfAbsent(nonce, now) == null;
    }

    @Override
    public void close() {
        if (app != null) app.stop();
    }
}
