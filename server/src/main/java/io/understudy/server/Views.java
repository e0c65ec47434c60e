package io.understudy.server;

import io.understudy.drivers.DriverFactory;
import io.understudy.engine.Engine;
import io.understudy.model.ServerView;
import io.understudy.model.config.GroupSpec;
import io.understudy.model.config.ProfileSpec;
import io.understudy.model.config.ServerSpec;
import io.understudy.engine.CapacityWatcher;
import io.understudy.state.ClusterState;
import io.understudy.state.Job;
import io.understudy.state.ProfileRecord;
import io.understudy.state.ServerRecord;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Turns the replicated state into the API's JSON shapes (see docs/api.md). */
final class Views {
    private Views() {}

    /** @param simulateMissingAgents whether this node is a lab whose simulator plays the agents real-BMC servers lack */
    static List<Map<String, Object>> servers(ClusterState s, Engine engine, boolean simulateMissingAgents) {
        List<Map<String, Object>> out = new ArrayList<>();
        // Listed as an operator walks the racks: by enclosure, then bay number.
        List<ServerSpec> byLocation = s.config().servers().stream().sorted(java.util.Comparator
                .comparing((ServerSpec x) -> x.parsedLocation().enclosure())
                .thenComparingInt(x -> bayNumber(x.parsedLocation().bay()))).toList();
        for (ServerSpec spec : byLocation) {
            ServerRecord r = s.server(spec.id());
            ServerView v = s.view(spec.id());
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("id", spec.id());
            m.put("location", spec.location());
            m.put("hostname", spec.hostname());
            m.put("address", spec.address());
            m.put("model", spec.model());
            m.put("generation", spec.generation());
            m.put("cores", spec.cores());
            m.put("memoryGib", spec.memoryGib());
            m.put("group", v.group());
            m.put("role", v.spare() ? "spare" : "regular");
            m.put("state", r.state().wire());
            m.put("reason", r.reason());
            m.put("since", r.since());
            m.put("profile", v.profile());
            m.put("reservedBy", r.reservedBy());
            m.put("drained", r.drained());
            m.put("lastHeartbeat", engine.detector().lastSeen(spec.id()));
            m.put("bmc", Map.of("driver", spec.bmc().driver(), "endpoint", String.valueOf(spec.bmc().endpoint())));
            m.put("simulated", simulated(DriverFactory.simulated(spec, simulateMissingAgents)));
            out.add(m);
        }
        return out;
    }

    /**
     * What of the server the simulator plays ("bmc", "agent"), empty for a real server (invariant 8: shown, never
     * hidden). A simulated agent beside a real BMC is a lab's stand-in ({@code --simulate-missing-agents}).
     */
    static List<String> simulated(DriverFactory.Simulated sim) {
        List<String> parts = new ArrayList<>();
        if (sim.bmc()) parts.add("bmc");
        if (sim.agent()) parts.add("agent");
        return parts;
    }

    private static int bayNumber(String bay) {
        String digits = bay.replaceAll("\\D", "");
        return digits.isEmpty() ? 0 : Integer.parseInt(digits);
    }

    static List<Map<String, Object>> groups(ClusterState s) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (GroupSpec g : s.config().groups()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("id", g.id());
            m.put("policy", g.policy());
            m.put("servers", g.servers());
            m.put("spares", g.spares());
            m.put("freeSpares", g.spares().stream().filter(id -> s.profileOn(id).isEmpty() && s.server(id).reservedBy() == null
                    && !s.server(id).state().isDown()).toList());
            m.put("maintenance", s.inMaintenance(g.id()));
            m.put("capacity", CapacityWatcher.assess(s, g));
            out.add(m);
        }
        return out;
    }

    static List<Map<String, Object>> profiles(ClusterState s) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (ProfileSpec p : s.config().profiles().stream().sorted(java.util.Comparator.comparing(ProfileSpec::group)
                .thenComparingInt(ProfileSpec::priority).thenComparing(ProfileSpec::id)).toList()) {
            ProfileRecord r = s.profile(p.id());
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("id", p.id());
            m.put("group", p.group());
            m.put("home", p.home());
            m.put("server", r.server());
            m.put("priority", p.priority());
            m.put("fallback", p.fallback().wire());
            m.put("protection", s.config().protectionOf(p).wire());
            m.put("lockedTo", r.lockedTo());
            m.put("activeJob", r.activeJob());
            m.put("identity", p.identity());
            m.put("note", r.note());
            // Put there by an operator's planned move: no automatic fallback until it is moved again.
            m.put("planned", r.planned());
            out.add(m);
        }
        return out;
    }

    /**
     * Each lockstep profile gains {@code pair}: primary, twin, state (paired, syncing, degraded), seq, twinSeq, lag, as
     * the leader's watch last saw them; on another node {@code state} is {@code unknown} (ask the leader).
     */
    static List<Map<String, Object>> withPairs(List<Map<String, Object>> profiles, Map<String, Map<String, Object>> pairs) {
        for (Map<String, Object> m : profiles) {
            if (!"lockstep".equals(m.get("protection"))) continue;
            Map<String, Object> seen = pairs.get((String) m.get("id"));
            m.put("pair", seen != null ? seen : Map.of("state", "unknown", "why", "pairs are watched by the leader; ask it"));
        }
        return profiles;
    }

    static Map<String, Object> job(Job j, Engine engine, boolean withSteps) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", j.id());
        m.put("type", j.type().wire());
        m.put("group", j.group());
        m.put("profile", j.profile());
        m.put("source", j.source());
        m.put("target", j.target());
        m.put("status", j.status().wire());
        m.put("startedBy", j.startedBy());
        m.put("reason", j.reason());
        m.put("created", j.created());
        m.put("ended", j.ended());
        m.put("message", j.message());
        int cur = j.currentStep();
        m.put("currentStep", cur < 0 ? null : j.steps().get(cur).name());
        m.put("progress", j.active() ? engine.jobs().progress(j.id()) : null);
        if (j.victim() != null) m.put("victim", j.victim());
        if (withSteps) m.put("steps", j.steps());
        return m;
    }
}
