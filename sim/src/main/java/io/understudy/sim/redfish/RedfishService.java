package io.understudy.sim.redfish;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import io.understudy.drivers.CallContext;
import io.understudy.drivers.DriverException;
import io.understudy.drivers.PowerReading;
import io.understudy.model.config.DataCenterConfig;
import io.understudy.model.config.ServerSpec;
import io.understudy.model.time.Scheduler;
import io.understudy.sim.AwkwardBmc;
import io.understudy.sim.SimDataCenter;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The simulated data center's BMCs speaking Redfish over HTTPS: every server is a ComputerSystem (with its Chassis)
 * whose power and health are the simulator's, so a reset changes the simulated server on the simulator's clock.
 * Sessions (X-Auth-Token) or basic authentication, ComputerSystem.Reset (On, ForceOff, GracefulShutdown,
 * ForceRestart), and an EventService that posts an Alert when a hardware event is injected. Bound to loopback.
 * Its BMCs can be made as awkward as real ones ({@link #bmcs()}): slow power actions that a new order restarts, or
 * a 409 "operation in progress" while one runs.
 */
public final class RedfishService implements AutoCloseable {
    /** understudy's fencing token header (see the Redfish driver); absent, the order counts as term 0. */
    public static final String TERM_HEADER = "X-Understudy-Term";

    static {
        // The JDK's HTTP server writes an answer's headers and body apart: without TCP_NODELAY every answer waits
        // ~40 ms for the client's delayed ACK, a cost no real BMC adds. Read once, when the first server is made.
        if (System.getProperty("sun.net.httpserver.nodelay") == null) System.setProperty("sun.net.httpserver.nodelay", "true");
    }

    private final DataCenterConfig config;
    private final SimDataCenter sim;
    private final Scheduler scheduler;
    private final RedfishSessions sessions;
    private final RedfishSubscriptions events = new RedfishSubscriptions();
    private final RedfishTerms terms = new RedfishTerms();
    private final AwkwardBmc bmcs;
    private final ExecutorService executor = Executors.newFixedThreadPool(4, r -> {
        Thread t = new Thread(r, "sim-redfish");
        t.setDaemon(true);
        return t;
    });
    private volatile boolean sessionService = true;
    private HttpServer server;

    /** @param users user name → password the simulated BMCs accept */
    public RedfishService(DataCenterConfig config, SimDataCenter sim, Scheduler scheduler, Map<String, String> users) {
        this.config = config;
        this.sim = sim;
        this.scheduler = scheduler;
        this.sessions = new RedfishSessions(users);
        this.bmcs = new AwkwardBmc(sim, scheduler);
        sim.addListener(events);
    }

    private String host = "127.0.0.1";

    /** Serves HTTPS with {@code cert} on 127.0.0.1:{@code port} (0 picks a free port). */
    public RedfishService start(int port, SelfSignedCertificate cert) throws IOException {
        return start("127.0.0.1", port, cert);
    }

    /** Serves HTTPS with {@code cert} on {@code bind}:{@code port}; the certificate must name that address. */
    public RedfishService start(String bind, int port, SelfSignedCertificate cert) throws IOException {
        host = bind;
        HttpsServer s = HttpsServer.create(new InetSocketAddress(bind, port), 64);
        s.setHttpsConfigurator(new HttpsConfigurator(cert.serverContext()));
        server = s;
        server.createContext("/redfish", this::handle);
        server.setExecutor(executor);
        server.start();
        return this;
    }

    /** Without a session service, as some BMCs are: clients must fall back to basic authentication. */
    public RedfishService withoutSessions() {
        sessionService = false;
        return this;
    }

    /** The BMCs' manners with power orders: prompt unless a test makes them slow or busy. */
    public AwkwardBmc bmcs() {
        return bmcs;
    }

    public int port() {
        return server.getAddress().getPort();
    }

    /** The endpoint a driver is configured with for {@code serverId}. */
    public String endpoint(String serverId) {
        return "https://" + host + ":" + port() + RedfishResources.SYSTEMS + "/" + serverId;
    }

    @Override
    public void close() {
        if (server != null) server.stop(0);
        executor.shutdownNow();
        events.close();
    }

    private void handle(HttpExchange ex) throws IOException {
        try (ex) {
            String path = ex.getRequestURI().getPath().replaceAll("/+$", "");
            String method = ex.getRequestMethod();
            if (path.equals("/redfish")) {
                reply(ex, 200, RedfishResources.JSON.createObjectNode().put("v1", RedfishResources.V1 + "/"));
                return;
            }
            if (path.equals(RedfishResources.V1) && method.equals("GET")) {
                reply(ex, 200, RedfishResources.root(sessionService));
                return;
            }
            if (path.equals(RedfishResources.SESSIONS) && method.equals("POST")) {
                login(ex);
                return;
            }
            String user = sessions.user(ex);
            if (user == null) {
                ex.getResponseHeaders().add("WWW-Authenticate", "Basic realm=\"understudy-sim\"");
                reply(ex, 401, RedfishResources.error("Base.1.0.NoValidSession", "no valid session or credentials"));
                return;
            }
            route(ex, method, path, user);
        } catch (RuntimeException e) {
            reply(ex, 500, RedfishResources.error("Base.1.0.InternalError", String.valueOf(e.getMessage())));
        }
    }

    private void route(HttpExchange ex, String method, String path, String user) throws IOException {
        String[] p = path.substring(RedfishResources.V1.length()).split("/");
        // p[0] is empty: "/Systems/bl-1" splits into "", "Systems", "bl-1"
        String top = p.length > 1 ? p[1] : "";
        switch (method + " " + top + "/" + (p.length - 1)) {
            case "GET Systems/1" -> reply(ex, 200, RedfishResources.collection(path, "#ComputerSystemCollection.ComputerSystemCollection",
                    "Computer System Collection", sim.views().stream().map(v -> RedfishResources.SYSTEMS + "/" + v.id()).toList()));
            case "GET Systems/2" -> system(ex, p[2]);
            case "POST Systems/4" -> {
                if (!p[3].equals("Actions") || !p[4].equals("ComputerSystem.Reset")) notFound(ex, path);
                else reset(ex, p[2]);
            }
            case "GET Chassis/1" -> reply(ex, 200, RedfishResources.collection(path, "#ChassisCollection.ChassisCollection",
                    "Chassis Collection", config.servers().stream().map(s -> RedfishResources.CHASSIS + "/" + s.id()).toList()));
            case "GET Chassis/2" -> {
                ServerSpec spec = config.server(p[2]).orElse(null);
                if (spec == null) notFound(ex, path);
                else reply(ex, 200, RedfishResources.chassis(spec));
            }
            case "GET Managers/1" -> reply(ex, 200, RedfishResources.collection(path, "#ManagerCollection.ManagerCollection", "Manager Collection", java.util.List.of()));
            case "GET SessionService/1" -> reply(ex, 200, RedfishResources.sessionService());
            case "GET SessionService/2" -> reply(ex, 200, RedfishResources.collection(path, "#SessionCollection.SessionCollection",
                    "Session Collection", sessions.ids().stream().map(id -> RedfishResources.SESSIONS + "/" + id).toList()));
            case "GET SessionService/3" -> reply(ex, 200, RedfishResources.session(p[3], user));
            case "DELETE SessionService/3" -> {
                sessions.close(p[3]);
                reply(ex, 204, null);
            }
            case "GET EventService/1" -> reply(ex, 200, RedfishResources.eventService());
            case "GET EventService/2" -> reply(ex, 200, RedfishResources.collection(path, "#EventDestinationCollection.EventDestinationCollection",
                    "Event Subscriptions", events.ids().stream().map(id -> RedfishResources.SUBSCRIPTIONS + "/" + id).toList()));
            case "POST EventService/2" -> subscribe(ex);
            case "GET EventService/3" -> {
                var s = events.get(p[3]);
                if (s == null) notFound(ex, path);
                else reply(ex, 200, events.resource(s));
            }
            case "DELETE EventService/3" -> {
                if (events.unsubscribe(p[3])) reply(ex, 204, null);
                else notFound(ex, path);
            }
            default -> notFound(ex, path);
        }
    }

    private void system(HttpExchange ex, String id) throws IOException {
        ServerSpec spec = config.server(id).orElse(null);
        if (spec == null || !sim.knows(id)) {
            notFound(ex, RedfishResources.SYSTEMS + "/" + id);
            return;
        }
        try {
            PowerReading r = terms.call(ex.getRequestHeaders().getFirst(TERM_HEADER), id, ctx -> sim.read(id, ctx));
            reply(ex, 200, RedfishResources.system(spec, r));
        } catch (DriverException e) {
            simError(ex, e);
        }
    }

    private void reset(HttpExchange ex, String id) throws IOException {
        if (!sim.knows(id)) {
            notFound(ex, RedfishResources.SYSTEMS + "/" + id);
            return;
        }
        String type = body(ex).path("ResetType").asText("");
        if (!RedfishResources.RESET_TYPES.contains(type)) {
            reply(ex, 400, RedfishResources.error("Base.1.0.ActionParameterValueNotInList",
                    "ResetType '" + type + "' is not one of " + RedfishResources.RESET_TYPES));
            return;
        }
        try {
            terms.call(ex.getRequestHeaders().getFirst(TERM_HEADER), id, ctx -> {
                switch (type) {
                    // The simulated OS has no shutdown of its own: a graceful shutdown powers off like ForceOff.
                    case "ForceOff", "GracefulShutdown" -> bmcs.powerOff(id, ctx);
                    case "On" -> bmcs.powerOn(id, ctx);
                    default -> restart(id, ctx);
                }
                return null;
            });
            reply(ex, 204, null);
        } catch (DriverException e) {
            simError(ex, e);
        }
    }

    /** Off, then on once the simulator reads off (bounded: a BMC stuck on never restarts). */
    private void restart(String id, CallContext ctx) throws DriverException {
        sim.powerOff(id, ctx);
        AtomicInteger checks = new AtomicInteger();
        Scheduler.Cancellable[] loop = new Scheduler.Cancellable[1];
        loop[0] = scheduler.every(Duration.ofMillis(100), () -> {
            try {
                if (sim.read(id, ctx).power() == PowerReading.Power.OFF) {
                    loop[0].cancel();
                    sim.powerOn(id, ctx);
                } else if (checks.incrementAndGet() > 600) {
                    loop[0].cancel();
                }
            } catch (DriverException e) {
                loop[0].cancel();
            }
        });
    }

    private void subscribe(HttpExchange ex) throws IOException {
        try {
            var s = events.subscribe(body(ex));
            ex.getResponseHeaders().add("Location", RedfishResources.SUBSCRIPTIONS + "/" + s.id());
            reply(ex, 201, events.resource(s));
        } catch (IllegalArgumentException e) {
            reply(ex, 400, RedfishResources.error("Base.1.0.PropertyValueFormatError", e.getMessage()));
        }
    }

    private void login(HttpExchange ex) throws IOException {
        if (!sessionService) {
            reply(ex, 405, RedfishResources.error("Base.1.0.OperationNotAllowed", "this BMC has no session service"));
            return;
        }
        JsonNode b = body(ex);
        String user = b.path("UserName").asText("");
        String[] opened = sessions.open(user, b.path("Password").asText(""));
        if (opened == null) {
            reply(ex, 401, RedfishResources.error("Base.1.0.NoValidSession", "invalid user name or password"));
            return;
        }
        ex.getResponseHeaders().add("X-Auth-Token", opened[0]);
        ex.getResponseHeaders().add("Location", RedfishResources.SESSIONS + "/" + opened[1]);
        reply(ex, 201, RedfishResources.session(opened[1], user));
    }

    private static void simError(HttpExchange ex, DriverException e) throws IOException {
        // A BMC that does not answer is simulated as a service that is unavailable.
        int status = switch (e.kind()) {
            case UNREACHABLE, TIMEOUT -> 503;
            case REFUSED, CONFLICT, BUSY -> 409;
            case AUTH -> 401;
            case FAILED -> 500;
        };
        // Busy as real BMCs say it: 409 with ResourceInUse ("in use or in transition") and when to ask again.
        if (e.kind() == DriverException.Kind.BUSY) {
            e.retryAfter().ifPresent(d -> ex.getResponseHeaders().set("Retry-After", Long.toString(Math.max(1, d.toSeconds()))));
            reply(ex, status, RedfishResources.error("Base.1.8.ResourceInUse", e.getMessage()));
            return;
        }
        reply(ex, status, RedfishResources.error("Base.1.0.GeneralError", e.getMessage()));
    }

    private static JsonNode body(HttpExchange ex) throws IOException {
        try (InputStream in = ex.getRequestBody()) {
            byte[] b = in.readNBytes(64 * 1024);
            return b.length == 0 ? RedfishResources.JSON.createObjectNode() : RedfishResources.JSON.readTree(b);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            return RedfishResources.JSON.createObjectNode();
        }
    }

    private static void notFound(HttpExchange ex, String path) throws IOException {
        reply(ex, 404, RedfishResources.error("Base.1.0.ResourceMissingAtURI", "no resource at " + path));
    }

    private static void reply(HttpExchange ex, int status, ObjectNode body) throws IOException {
        if (body == null) {
            ex.sendResponseHeaders(status, -1);
            return;
        }
        byte[] b = RedfishResources.JSON.writeValueAsBytes(body);
        ex.getResponseHeaders().set("Content-Type", "application/json; charset=utf-8");
        ex.getResponseHeaders().set("OData-Version", "4.0");
        ex.sendResponseHeaders(status, b.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(b);
        }
    }
}
