package io.understudy.system.chaos;

import com.fasterxml.jackson.databind.JsonNode;
import io.understudy.sim.HardwareChecker;
import io.understudy.sim.HardwareEvent;
import io.understudy.sim.HardwareViolation;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Invariants 1 and 2 as the simulated hardware saw them: {@link HardwareChecker} over sim-dc's hardware log (from its
 * start; a violation is this trial's when its event came during the trial), and, from sim-dc's views polled through
 * the trial, no identity on two powered servers in one view and none on a server that does not meet its needs.
 */
final class HardwareInvariants {
    private HardwareInvariants() {}

    /** @param firstSeq the first hardware event of this trial */
    static List<Violation> check(History h, List<HardwareEvent> sinceStart, long firstSeq) {
        List<Violation> out = new ArrayList<>();
        Map<String, String> groupOf = new HashMap<>();
        for (ChaosDataCenter.Server s : ChaosDataCenter.SERVERS) groupOf.put(s.id(), s.group());
        for (HardwareViolation v : HardwareChecker.check(sinceStart, groupOf)) {
            if (v.seq() >= firstSeq) out.add(new Violation(v.invariant(), v.message() + " (hardware event " + v.seq() + ")"));
        }
        Set<String> said = new HashSet<>();
        for (Exchange e : h.exchanges()) {
            if (!e.ok() || !e.node().equals(ApiClient.SIM_DC) || !e.request().equals("GET /v1/sim/servers")) continue;
            JsonNode servers = Trial.json(e.body());
            if (servers == null) continue;
            for (Map.Entry<String, List<String>> p : holders(servers).entrySet()) {
                if (p.getValue().size() > 1 && said.add("1 " + p.getKey() + p.getValue())) {
                    out.add(new Violation("1", "identity of " + p.getKey() + " held by " + p.getValue() + " at once (sim-dc view at " + e.at() + ")"));
                }
                for (String s : p.getValue()) {
                    if (!ChaosDataCenter.qualifies(p.getKey(), s) && said.add("3 " + p.getKey() + s)) {
                        out.add(new Violation("3", "identity of " + p.getKey() + " on " + s + ", which does not meet its needs (sim-dc view at " + e.at() + ")"));
                    }
                }
            }
        }
        return out;
    }

    /** Profile → the powered servers whose identity it is live on, in one sim-dc view (a powered-off bay holds nothing). */
    static Map<String, List<String>> holders(JsonNode servers) {
        Map<String, List<String>> out = new TreeMap<>();
        for (JsonNode s : servers) {
            if (s.hasNonNull("identity") && !s.path("state").asText().equals("off")) {
                out.computeIfAbsent(s.get("identity").asText(), k -> new ArrayList<>()).add(s.get("id").asText());
            }
        }
        return out;
    }
}
