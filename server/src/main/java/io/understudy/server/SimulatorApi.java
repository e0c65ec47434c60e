package io.understudy.server;

import io.javalin.Javalin;
import io.javalin.http.Context;
import io.understudy.sim.Fault;
import io.understudy.sim.HardwareEvent;
import io.understudy.sim.HardwareLog;
import io.understudy.sim.SimDataCenter;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The simulated data center's own endpoints, beside its agents: fault injection and repair, the hardware's history
 * (the ground truth fault campaigns check), and cutting the agents' links to a control-plane node. Bad input is
 * answered 4xx with the field it was in.
 */
final class SimulatorApi {
    private final SimDataCenter sim;
    private final NodeLinks links;

    SimulatorApi(SimDataCenter sim, NodeLinks links) {
        this.sim = sim;
        this.links = links;
    }

    void register(Javalin app) {
        app.get("/v1/sim/servers", ctx -> ctx.json(sim.views()));
        app.post("/v1/sim/servers/{id}/fail", ctx -> {
            String id = ctx.pathParam("id");
            if (!known(ctx, id)) return;
            Fault f;
            try {
                f = Fault.parse(ctx.queryParam("mode") == null ? "" : ctx.queryParam("mode"));
            } catch (IllegalArgumentException e) {
                bad(ctx, 400, "mode", e.getMessage());
                return;
            }
            sim.inject(id, f);
            ctx.json(Map.of("message", "injected " + f.wire() + " into " + id));
        });
        app.post("/v1/sim/servers/{id}/repair", ctx -> {
            String id = ctx.pathParam("id");
            if (!known(ctx, id)) return;
            sim.repair(id);
            ctx.json(Map.of("message", id + " repaired"));
        });
        app.get("/v1/sim/history", this::history);
        app.get("/v1/sim/links", ctx -> ctx.json(Map.of("nodes", links.nodes(), "cut", links.cut())));
        app.post("/v1/sim/links", this::cut);
    }

    private boolean known(Context ctx, String id) {
        if (sim.knows(id)) return true;
        bad(ctx, 404, "id", "no simulated server '" + id + "'");
        return false;
    }

    private void history(Context ctx) {
        String param = ctx.queryParam("after");
        long after;
        try {
            after = param == null ? 0 : Long.parseLong(param);
        } catch (NumberFormatException e) {
            after = -1;
        }
        if (after < 0) {
            bad(ctx, 400, "after", "expected the sequence number of the last event read (0 or more), got '" + param + "'");
            return;
        }
        HardwareLog.Page page = sim.hardwareLog().after(after);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("events", page.events().stream().map(SimulatorApi::json).toList());
        out.put("next", page.next());
        out.put("dropped", page.dropped());
        ctx.json(out);
    }

    /** The event's record components by name, its time as an ISO-8601 instant, absent fields as null. */
    private static Map<String, Object> json(HardwareEvent e) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("seq", e.seq());
        m.put("at", e.at().toString());
        m.put("kind", e.kind());
        m.put("server", e.server());
        m.put("profile", e.profile());
        m.put("holders", e.holders());
        m.put("detail", e.detail());
        return m;
    }

    private void cut(Context ctx) {
        String node = ctx.queryParam("node");
        String cut = ctx.queryParam("cut");
        if (node == null || !links.knows(node)) {
            bad(ctx, 400, "node", "expected a control-plane node's URL as given in --nodes, one of " + links.nodes() + ", got "
                    + (node == null ? "none" : "'" + node + "'"));
            return;
        }
        if (!"true".equals(cut) && !"false".equals(cut)) {
            bad(ctx, 400, "cut", "expected true or false, got " + (cut == null ? "none" : "'" + cut + "'"));
            return;
        }
        links.cut(node, Boolean.parseBoolean(cut));
        ctx.json(Map.of("message", "link from the agents to " + node + (Boolean.parseBoolean(cut) ? " cut" : " restored"),
                "cut", links.cut()));
    }

    private static void bad(Context ctx, int status, String field, String error) {
        ctx.status(status).json(Map.of("error", error, "field", field));
    }
}
