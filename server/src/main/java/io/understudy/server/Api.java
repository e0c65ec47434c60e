package io.understudy.server;

import com.fasterxml.jackson.databind.JsonNode;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.sse.SseHandler;
import io.javalin.http.staticfiles.Location;
import io.javalin.json.JavalinJackson;
import io.understudy.engine.Engine;
import io.understudy.engine.Operations;
import io.understudy.model.config.DataCenterConfig;
import io.understudy.model.config.HookEvent;
import io.understudy.model.time.Scheduler;
import io.understudy.sim.Fault;
import io.understudy.sim.SimDataCenter;
import io.understudy.state.ClusterState;
import io.understudy.state.Job;
import io.understudy.state.Json;
import io.understudy.state.Result;
import io.understudy.state.StateStore;
import io.understudy.state.config.ConfigLoader;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * The REST API (docs/api.md): reads turn the replicated state into views, writes turn requests into commands.
 * Every error is a JSON body naming what was wrong.
 */
public final class Api {
    /** The page's session cookie: it holds the token, as EventSource cannot send an Authorization header. */
    static final String COOKIE = "understudy_token";

    private final StateStore store;
    private final Engine engine;
    private final SimDataCenter sim;
    private final Tokens tokens;
    private final Metrics metrics;
    private final String node;
    private final EventStream events;
    private final Scheduler clock;
    private Javalin app;
    private AgentReceiver agents;
    private final boolean simulateMissingAgents;

    /**
     * @param clock the scheduler's clock, which the demo speeds up; the page measures step durations against it
     * @param simulateMissingAgents whether this node is a lab whose simulator plays the agents real-BMC servers lack
     */
    public Api(StateStore store, Engine engine, SimDataCenter sim, Tokens tokens, Metrics metrics, String node, Scheduler clock,
               boolean simulateMissingAgents) {
        this.simulateMissingAgents = simulateMissingAgents;
        this.events = new EventStream(new PageView(store, engine, sim, clock, node, simulateMissingAgents));
        this.store = store;
        this.engine = engine;
        this.sim = sim;
        this.tokens = tokens;
        this.metrics = metrics;
        this.node = node;
        this.clock = clock;
    }

    /** Agents' heartbeats and events are taken on this node's API port. */
    public Api withAgents(AgentReceiver receiver) {
        this.agents = receiver;
        return this;
    }

    public void start(String bind, int port) {
        app = Javalin.create(cfg -> {
            cfg.showJavalinBanner = false;
            cfg.jsonMapper(new JavalinJackson(Json.MAPPER, false));
            // The web page: every script, style and icon is in the jar, nothing is fetched from elsewhere.
            cfg.staticFiles.add("/web", Location.CLASSPATH);
        });
        app.exception(ApiError.class, (e, ctx) -> error(ctx, e.status, e.getMessage(), e.field));
        app.exception(IllegalArgumentException.class, (e, ctx) -> error(ctx, 400, e.getMessage(), null));
        app.exception(StateStore.StateException.class, (e, ctx) -> error(ctx, 503, "no leader could commit the change: " + e.getMessage(), null));
        app.exception(Exception.class, (e, ctx) -> error(ctx, 500, e.toString(), null));
        app.error(404, ctx -> {
            if (ctx.result() == null) error(ctx, 404, "no such path " + ctx.path(), null);
        });
        app.post("/api/v1/login", ctx -> {
            JsonNode token = body(ctx).get("token");
            if (token == null || token.asText().isBlank()) throw ApiError.bad("token", "expected {\"token\": TOKEN}");
            Tokens.Token t = tokens.find(token.asText().trim()).orElseThrow(() -> new ApiError(401, "unknown token", "token"));
            ctx.header("Set-Cookie", COOKIE + "=" + t.token() + "; Path=/; HttpOnly; SameSite=Strict");
            ctx.json(whoami(t));
        });
        app.post("/api/v1/logout", ctx -> {
            ctx.header("Set-Cookie", COOKIE + "=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0");
            ctx.json(Map.of("message", "logged out"));
        });
        app.get("/api/v1/whoami", ctx -> ctx.json(whoami(token(ctx))));
        SseHandler sse = new SseHandler(events::add);
        app.get("/api/v1/events", ctx -> {
            role(ctx, Tokens.Role.VIEWER);
            if (!"text/event-stream".equals(ctx.header("Accept"))) {
                throw new ApiError(406, "this is a server-sent event stream: ask with Accept: text/event-stream", "Accept");
            }
            sse.handle(ctx);
        });
        app.get("/metrics", ctx -> ctx.contentType("text/plain; version=0.0.4").result(metrics.scrape()));
        app.get("/api/v1/servers", ctx -> ctx.json(read(ctx, Tokens.Role.VIEWER, s -> Views.servers(s, engine, simulateMissingAgents))));
        app.get("/api/v1/groups", ctx -> ctx.json(read(ctx, Tokens.Role.VIEWER, Views::groups)));
        app.get("/api/v1/profiles", ctx -> ctx.json(Views.withPairs(read(ctx, Tokens.Role.VIEWER, Views::profiles), engine.pairs())));
        app.get("/api/v1/jobs", ctx -> ctx.json(read(ctx, Tokens.Role.VIEWER, s -> s.jobs().stream()
                .sorted(Comparator.comparingLong(Job::id).reversed()).map(j -> Views.job(j, engine, false)).toList())));
        app.get("/api/v1/jobs/{id}", ctx -> {
            long id = number(ctx.pathParam("id"), "id");
            Job j = read(ctx, Tokens.Role.VIEWER, s -> s.job(id));
            if (j == null) throw new ApiError(404, "no job " + id, "id");
            ctx.json(Views.job(j, engine, true));
        });
        app.get("/api/v1/alarms", ctx -> {
            boolean all = "true".equals(ctx.queryParam("all"));
            ctx.json(read(ctx, Tokens.Role.VIEWER, s -> new ArrayList<>(all ? s.alarms() : s.openAlarms())));
        });
        app.get("/api/v1/decisions", ctx -> {
            role(ctx, Tokens.Role.VIEWER);
            ctx.json(engine.decisions().recent());
        });
        app.get("/api/v1/cluster", ctx -> {
            role(ctx, Tokens.Role.VIEWER);
            var st = store.status();
            Map<String, Object> m = new java.util.LinkedHashMap<>();
            m.put("node", st.node());
            m.put("leader", st.leader());
            m.put("isLeader", store.isLeader());
            m.put("term", st.term());
            m.put("commitIndex", st.commitIndex());
            m.put("appliedIndex", st.appliedIndex());
            m.put("members", st.members());
            ctx.json(m);
        });
        app.post("/api/v1/cluster/nodes", ctx -> {
            String by = role(ctx, Tokens.Role.ADMIN);
            JsonNode body = body(ctx);
            if (!body.hasNonNull("id")) throw ApiError.bad("id", "expected the new node's id");
            String address = body.path("address").asText("");
            if (!address.matches("[^:\\s]+:\\d{1,5}")) throw ApiError.bad("address", "expected the new node's Raft address HOST:PORT, got '" + address + "'");
            String[] hp = address.split(":");
            String msg = membership(s -> s.addMember(new io.understudy.state.ratis.RatisSettings.Peer(body.get("id").asText(), hp[0], Integer.parseInt(hp[1]))));
            ctx.json(Map.of("message", msg + " (by " + by + ")"));
        });
        app.post("/api/v1/cluster/nodes/{id}/remove", ctx -> {
            String by = role(ctx, Tokens.Role.ADMIN);
            String msg = membership(s -> s.removeMember(ctx.pathParam("id")));
            ctx.json(Map.of("message", msg + " (by " + by + ")"));
        });
        app.post("/api/v1/failover", ctx -> {
            String by = role(ctx, Tokens.Role.ADMIN);
            JsonNode body = body(ctx);
            List<String> keys = new ArrayList<>();
            for (String f : List.of("server", "location", "host", "ip")) if (body.hasNonNull(f)) keys.add(f);
            if (keys.size() != 1) throw ApiError.bad("server", "expected exactly one of server, location, host, ip; got " + keys);
            accepted(ctx, engine.operations().failover(body.get(keys.get(0)).asText(), by), keys.get(0));
        });
        app.post("/api/v1/profiles/{id}/fallback", ctx -> accepted(ctx, engine.operations().fallback(ctx.pathParam("id"), role(ctx, Tokens.Role.ADMIN)), "profile"));
        app.post("/api/v1/profiles/{id}/re-pair", ctx -> accepted(ctx, engine.operations().rePair(ctx.pathParam("id"), role(ctx, Tokens.Role.ADMIN)), "profile"));
        app.post("/api/v1/profiles/{id}/move", ctx -> {
            String by = role(ctx, Tokens.Role.ADMIN);
            JsonNode body = body(ctx);
            if (body.has("toSpare") && !body.get("toSpare").isBoolean()) throw ApiError.bad("toSpare", "expected true or false");
            boolean toSpare = body.path("toSpare").asBoolean(false);
            if (body.has("to") && !body.get("to").isTextual()) throw ApiError.bad("to", "expected a server (id, enclosure/bay, hostname or address)");
            boolean to = body.hasNonNull("to");
            if (to == toSpare) {
                throw ApiError.bad("to", "expected exactly one of to (a server: id, enclosure/bay, hostname or address) and toSpare: true");
            }
            Result r = engine.operations().move(ctx.pathParam("id"), to ? body.get("to").asText() : null, by);
            boolean aboutTarget = !r.ok() && !r.message().startsWith("unknown profile") && !r.message().startsWith("profile ");
            accepted(ctx, r, aboutTarget ? (to ? "to" : "toSpare") : "profile");
        });
        app.post("/api/v1/profiles/{id}/backup", ctx -> {
            role(ctx, Tokens.Role.OPERATOR);
            ctx.json(dataReport(() -> engine.data().backupNow(ctx.pathParam("id"))));
        });
        app.post("/api/v1/profiles/{id}/sync", ctx -> {
            role(ctx, Tokens.Role.OPERATOR);
            ctx.json(dataReport(() -> engine.data().syncNow(ctx.pathParam("id"))));
        });
        app.post("/api/v1/profiles/{id}/lock", ctx -> {
            String by = role(ctx, Tokens.Role.ADMIN);
            JsonNode body = body(ctx);
            if (!body.hasNonNull("server")) throw ApiError.bad("server", "expected the server to lock the profile to");
            done(ctx, engine.operations().lock(ctx.pathParam("id"), body.get("server").asText(), by), "profile");
        });
        app.post("/api/v1/profiles/{id}/unlock", ctx -> done(ctx, engine.operations().unlock(ctx.pathParam("id"), role(ctx, Tokens.Role.ADMIN)), "profile"));
        app.post("/api/v1/groups/{id}/maintenance", ctx -> {
            String by = role(ctx, Tokens.Role.ADMIN);
            JsonNode on = body(ctx).get("on");
            if (on == null || !on.isBoolean()) throw ApiError.bad("on", "expected true or false");
            done(ctx, engine.operations().maintenance(ctx.pathParam("id"), on.asBoolean(), by), "group");
        });
        app.post("/api/v1/drain", ctx -> drain(ctx, true));
        app.post("/api/v1/undrain", ctx -> drain(ctx, false));
        app.post("/api/v1/plan", ctx -> {
            role(ctx, Tokens.Role.VIEWER);
            JsonNode body = body(ctx);
            List<String> fail = strings(body, "fail");
            List<String> enclosures = strings(body, "failEnclosure");
            List<String> drain = strings(body, "drain");
            if (!drain.isEmpty()) {
                // What a drain would do: servers or enclosures, as 'understudy drain' takes them; a what-if of one kind.
                if (!fail.isEmpty() || !enclosures.isEmpty()) {
                    throw ApiError.bad("drain", "expected either drain or fail/failEnclosure, not both");
                }
                try {
                    ctx.json(engine.operations().drainPlan(drain, List.of()));
                } catch (IllegalArgumentException e) {
                    throw ApiError.bad("drain", e.getMessage());
                }
                return;
            }
            if (fail.isEmpty() && enclosures.isEmpty()) {
                throw ApiError.bad("fail", "expected servers to fail, an enclosure (failEnclosure) or servers/enclosures to drain (drain)");
            }
            Operations.Plan plan = engine.operations().plan(fail, enclosures);
            ctx.json(plan);
        });
        app.get("/api/v1/hooks", ctx -> ctx.json(read(ctx, Tokens.Role.VIEWER, HookViews::hooks)));
        app.post("/api/v1/hooks/test", ctx -> {
            role(ctx, Tokens.Role.ADMIN);
            JsonNode body = body(ctx);
            JsonNode event = body.get("event");
            if (event == null || !event.isTextual()) throw ApiError.bad("event", "expected one of " + HookEvent.names());
            HookEvent e;
            try {
                e = HookEvent.parse(event.asText());
            } catch (IllegalArgumentException unknown) {
                throw ApiError.bad("event", unknown.getMessage());
            }
            String group = body.hasNonNull("group") ? body.get("group").asText() : null;
            DataCenterConfig config = store.read(ClusterState::config);
            if (group != null && config.group(group).isEmpty()) throw new ApiError(404, "unknown group '" + group + "'", "group");
            ctx.json(engine.hookCalls().test(config, e, group, clock.now()));
        });
        app.post("/api/v1/config", ctx -> {
            String by = role(ctx, Tokens.Role.ADMIN);
            DataCenterConfig config = ConfigLoader.parse(ctx.body(), "request body");
            // Invariant 8, as at start: a real-BMC server without an agent is refused outside a lab that asked for it.
            var missing = io.understudy.model.config.ConfigValidator.agentsMissing(config);
            if (!missing.isEmpty() && !simulateMissingAgents) throw new io.understudy.state.config.ConfigException("request body", missing);
            done(ctx, engine.operations().applyConfig(config, by), "config");
        });
        app.get("/api/v1/sim/servers", ctx -> {
            role(ctx, Tokens.Role.VIEWER);
            ctx.json(sim == null ? java.util.List.of() : sim.views());
        });
        app.post("/api/v1/sim/servers/{id}/fail", ctx -> {
            role(ctx, Tokens.Role.OPERATOR);
            String id = simServer(ctx);
            JsonNode mode = body(ctx).get("mode");
            if (mode == null) throw ApiError.bad("mode", "expected a fault mode crash|hang|power-loss|bmc-down|hw-event|stuck-power");
            Fault f;
            try {
                f = Fault.parse(mode.asText());
            } catch (IllegalArgumentException e) {
                throw ApiError.bad("mode", e.getMessage());
            }
            sim.inject(id, f);
            ctx.json(Map.of("message", "injected " + f.wire() + " into " + id));
        });
        app.post("/api/v1/sim/servers/{id}/repair", ctx -> {
            role(ctx, Tokens.Role.OPERATOR);
            String id = simServer(ctx);
            sim.repair(id);
            ctx.json(Map.of("message", id + " repaired: faults cleared, powered on if it was off"));
        });
        if (agents != null) agents.register(app);
        // What this node itself hears from each agent: a node that hears nobody is cut off, whoever leads.
        app.get("/api/v1/agents", ctx -> {
            role(ctx, Tokens.Role.VIEWER);
            java.util.List<Map<String, Object>> out = new java.util.ArrayList<>();
            for (var server : store.read(ClusterState::config).servers()) {
                Map<String, Object> m = new java.util.LinkedHashMap<>();
                m.put("server", server.id());
                m.put("agent", server.agent() != null ? server.agent().endpoint()
                        : io.understudy.drivers.DriverFactory.simulated(server, simulateMissingAgents).agent() ? "simulated" : "none");
                java.time.Instant seen = engine.detector().lastSeen(server.id());
                m.put("lastHeartbeat", seen);
                m.put("silentMs", seen == null ? null : java.time.Duration.between(seen, clock.now()).toMillis());
                m.put("inventory", agents == null ? null : agents.inventory(server.id()).orElse(null));
                out.add(m);
            }
            ctx.json(out);
        });
        app.start(bind, port);
    }

    public int port() {
        return app.port();
    }

    public void stop() {
        events.close();
        if (app != null) app.stop();
    }

    private interface MembershipChange {
        String apply(io.understudy.state.ratis.RatisStateStore store) throws java.io.IOException;
    }

    /** Membership changes need Raft; a refusal (no quorum, not the leader) is a 409 that says why. */
    private String membership(MembershipChange change) throws java.io.IOException {
        if (!(store instanceof io.understudy.state.ratis.RatisStateStore ratis)) {
            throw new ApiError(409, "this node's state is not replicated; membership cannot change", null);
        }
        try {
            return change.apply(ratis);
        } catch (IllegalArgumentException e) {
            throw new ApiError(400, e.getMessage(), "id");
        } catch (IllegalStateException e) {
            throw new ApiError(409, e.getMessage(), null);
        }
    }

    private String simServer(Context ctx) {
        String id = store.read(s -> s.resolveServer(ctx.pathParam("id"))).orElse(ctx.pathParam("id"));
        if (sim == null) throw new ApiError(404, "this node runs no simulated data center", "server");
        if (!sim.knows(id)) throw new ApiError(404, "no simulated server '" + ctx.pathParam("id") + "'", "server");
        boolean played = store.read(s -> s.config().server(id)).map(spec -> io.understudy.drivers.DriverFactory.simulated(spec, simulateMissingAgents).any()).orElse(false);
        if (!played) throw new ApiError(404, "'" + ctx.pathParam("id") + "' is a real server: the simulator does not play it", "server");
        return id;
    }

    private <T> T read(Context ctx, Tokens.Role role, java.util.function.Function<ClusterState, T> f) {
        role(ctx, role);
        return store.read(f);
    }

    /** The caller's token: the bearer header, or else the page's session cookie. */
    private Tokens.Token token(Context ctx) {
        String header = ctx.header("Authorization");
        String bearer = header != null && header.startsWith("Bearer ") ? header.substring(7).trim() : null;
        String presented = bearer != null ? bearer : ctx.cookie(COOKIE);
        if (presented != null && presented.isEmpty()) presented = null;
        String given = presented;
        return tokens.find(given).orElseThrow(() -> new ApiError(401, given == null
                ? "missing bearer token (Authorization: Bearer TOKEN) or login cookie" : "unknown token", "token"));
    }

    private static Map<String, String> whoami(Tokens.Token t) {
        return Map.of("name", t.name(), "role", t.role().name().toLowerCase());
    }

    /** Checks the token and its role; answers the name recorded as who started a job or change. */
    private String role(Context ctx, Tokens.Role needed) {
        Tokens.Token t = token(ctx);
        if (t.role().compareTo(needed) < 0) {
            throw new ApiError(403, "token '" + t.name() + "' has role " + t.role().name().toLowerCase() + "; this needs " + needed.name().toLowerCase(), "token");
        }
        return t.role().name().toLowerCase() + " token '" + t.name() + "'";
    }

    private static JsonNode body(Context ctx) {
        String text = ctx.body();
        if (text == null || text.isBlank()) return Json.MAPPER.createObjectNode();
        try {
            JsonNode n = Json.MAPPER.readTree(text);
            if (!n.isObject()) throw ApiError.bad("body", "expected a JSON object");
            return n;
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw ApiError.bad("body", "expected a JSON object: " + e.getOriginalMessage());
        }
    }

    private static List<String> strings(JsonNode body, String field) {
        JsonNode n = body.get(field);
        if (n == null || n.isNull()) return List.of();
        if (!n.isArray()) throw ApiError.bad(field, "expected a list of strings");
        List<String> out = new ArrayList<>();
        n.forEach(x -> out.add(x.asText()));
        return out;
    }

    private static long number(String text, String field) {
        try {
            return Long.parseLong(text);
        } catch (NumberFormatException e) {
            throw ApiError.bad(field, "expected a job number, got '" + text + "'");
        }
    }

    /** Drain or undrain: 202 with the moves started, 409 when a drain would strand a profile (nothing changed). */
    private void drain(Context ctx, boolean on) {
        String by = role(ctx, Tokens.Role.ADMIN);
        JsonNode body = body(ctx);
        List<String> servers = strings(body, "servers");
        List<String> enclosures = strings(body, "enclosures");
        if (servers.isEmpty() && enclosures.isEmpty()) throw ApiError.bad("servers", "expected servers or enclosures to " + (on ? "drain" : "undrain"));
        if (body.has("force") && !body.get("force").isBoolean()) throw ApiError.bad("force", "expected true or false");
        Operations.Drain d;
        try {
            d = on ? engine.operations().drain(servers, enclosures, body.path("force").asBoolean(false), by)
                    : engine.operations().undrain(servers, enclosures, by);
        } catch (IllegalArgumentException e) {
            throw new ApiError(404, e.getMessage(), e.getMessage().startsWith("no enclosure") ? "enclosures" : "servers");
        }
        if (!d.ok()) throw new ApiError(409, d.message(), "servers");
        ctx.status(202).json(d);
    }

    private static void accepted(Context ctx, Result r, String field) {
        if (!r.ok()) throw new ApiError(r.message().startsWith("unknown") || r.message().startsWith("no server") ? 404 : 409, r.message(), field);
        ctx.status(202).json(Map.of("job", r.job(), "message", r.message()));
    }

    private interface DataCall {
        io.understudy.engine.DataSync.Report run() throws io.understudy.drivers.DriverException;
    }

    /**
     * A backup or sync, answered with what it did; refused (unknown profile, no data directory, moving) is a 4xx
     * naming the profile, an agent that fails is a 502 with its words.
     */
    private static io.understudy.engine.DataSync.Report dataReport(DataCall call) {
        try {
            return call.run();
        } catch (io.understudy.drivers.DriverException e) {
            if (e.kind() == io.understudy.drivers.DriverException.Kind.REFUSED) {
                String m = e.getMessage().substring("refused: ".length());
                throw new ApiError(m.startsWith("unknown") ? 404 : 409, m, "profile");
            }
            throw new ApiError(502, e.getMessage(), "profile");
        }
    }

    private static void done(Context ctx, Result r, String field) {
        if (!r.ok()) throw new ApiError(r.message().startsWith("unknown") ? 404 : 409, r.message(), field);
        ctx.json(Map.of("message", r.message()));
    }

    private static void error(Context ctx, int status, String message, String field) {
        Map<String, Object> body = new java.util.LinkedHashMap<>();
        body.put("error", message);
        if (field != null) body.put("field", field);
        ctx.status(status).json(body);
    }
}
