package io.understudy.model.config;

import io.understudy.model.ServerState;
import io.understudy.model.ServerView;
import io.understudy.model.policy.SpareQualification;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Checks a data-center description and returns every error found, each naming its field path. */
public final class ConfigValidator {
    private ConfigValidator() {}

    public static List<ConfigError> validate(DataCenterConfig dc) {
        List<ConfigError> errors = new ArrayList<>();
        if (dc == null) {
            errors.add(new ConfigError("(root)", "expected a data center with enclosures, servers, groups and profiles"));
            return errors;
        }
        Map<String, Enclosure> enclosures = new HashMap<>();
        for (int i = 0; i < dc.enclosures().size(); i++) {
            Enclosure e = dc.enclosures().get(i);
            String at = "enclosures[" + i + "]";
            if (blank(e.id())) errors.add(new ConfigError(at + ".id", "expected a non-empty id"));
            else if (enclosures.put(e.id(), e) != null) errors.add(new ConfigError(at + ".id", "duplicate enclosure id '" + e.id() + "'"));
            if (e.bays() <= 0) errors.add(new ConfigError(at + ".bays", "expected a positive number of bays, got " + e.bays()));
        }
        Map<String, ServerSpec> servers = new HashMap<>();
        Set<String> locations = new HashSet<>();
        Set<String> models = new HashSet<>();
        for (int i = 0; i < dc.servers().size(); i++) {
            ServerSpec s = dc.servers().get(i);
            String at = "servers[" + i + "]";
            if (blank(s.id())) errors.add(new ConfigError(at + ".id", "expected a non-empty id"));
            else if (servers.put(s.id(), s) != null) errors.add(new ConfigError(at + ".id", "duplicate server id '" + s.id() + "'"));
            if (blank(s.model())) errors.add(new ConfigError(at + ".model", "expected a server model"));
            else models.add(s.model());
            if (s.cores() <= 0) errors.add(new ConfigError(at + ".cores", "expected a positive number of cores"));
            if (s.memoryGib() <= 0) errors.add(new ConfigError(at + ".memoryGib", "expected a positive memory size in GiB"));
            bmc(errors, at + ".bmc", s.bmc());
            if (s.agent() != null) errors.addAll(s.agent().problems(at + ".agent"));
            try {
                Location loc = s.parsedLocation();
                Enclosure e = enclosures.get(loc.enclosure());
                if (e == null) errors.add(new ConfigError(at + ".location", "unknown enclosure '" + loc.enclosure() + "'"));
                else if (!validBay(loc.bay(), e.bays())) errors.add(new ConfigError(at + ".location",
                        "expected a bay bay1..bay" + e.bays() + " of " + e.id() + ", got '" + loc.bay() + "'"));
                if (!locations.add(loc.toString())) errors.add(new ConfigError(at + ".location", "bay " + loc + " holds two servers"));
            } catch (IllegalArgumentException ex) {
                errors.add(new ConfigError(at + ".location", ex.getMessage()));
            }
        }
        Map<String, String> hookNames = new HashMap<>();
        hooks(errors, "hooks", dc.hooks(), hookNames);
        Map<String, String> groupOf = new HashMap<>();
        Set<String> groupIds = new HashSet<>();
        for (int i = 0; i < dc.groups().size(); i++) {
            GroupSpec g = dc.groups().get(i);
            String at = "groups[" + i + "]";
            if (blank(g.id())) errors.add(new ConfigError(at + ".id", "expected a non-empty id"));
            else if (!groupIds.add(g.id())) errors.add(new ConfigError(at + ".id", "duplicate group id '" + g.id() + "'"));
            member(errors, at + ".servers", g.servers(), g.id(), servers, groupOf);
            member(errors, at + ".spares", g.spares(), g.id(), servers, groupOf);
            for (String spare : g.spares()) {
                if (g.servers().contains(spare)) errors.add(new ConfigError(at + ".spares", "server '" + spare + "' is both regular and spare"));
            }
            policy(errors, at + ".policy", g.policy());
            hooks(errors, at + ".hooks", g.hooks(), hookNames);
            if (g.policy().protection().standbyRuns()) {
                // MX-ONE's preloaded standby runs its one regular's workload already, a lockstep twin applies its one
                // primary's inputs: neither can stand by for two.
                String level = g.policy().protection().wire();
                String standby = g.policy().protection() == ProtectionLevel.LOCKSTEP ? "twin" : "standby";
                if (g.servers().size() != 1) errors.add(new ConfigError(at + ".servers", "a " + level + " group is 1:1: expected exactly one regular server, got "
                        + g.servers().size()));
                if (g.spares().size() != 1) errors.add(new ConfigError(at + ".spares", "a " + level + " group is 1:1: expected exactly one " + standby + ", got "
                        + g.spares().size()));
            }
        }
        Map<String, String> seen = new HashMap<>();
        Set<String> ids = new HashSet<>();
        Set<String> homes = new HashSet<>();
        for (int i = 0; i < dc.profiles().size(); i++) {
            ProfileSpec p = dc.profiles().get(i);
            String at = "profiles[" + i + "]";
            if (blank(p.id())) errors.add(new ConfigError(at + ".id", "expected a non-empty id"));
            else if (!ids.add(p.id())) errors.add(new ConfigError(at + ".id", "duplicate profile id '" + p.id() + "'"));
            GroupSpec g = dc.group(p.group()).orElse(null);
            if (g == null) errors.add(new ConfigError(at + ".group", "unknown group '" + p.group() + "'"));
            if (p.home() != null) {
                if (!servers.containsKey(p.home())) errors.add(new ConfigError(at + ".home", "unknown server '" + p.home() + "'"));
                else if (g != null && !g.servers().contains(p.home())) errors.add(new ConfigError(at + ".home",
                        "server '" + p.home() + "' is not a regular server of group '" + g.id() + "'"));
                if (!homes.add(p.home())) errors.add(new ConfigError(at + ".home", "server '" + p.home() + "' is home to two profiles"));
            }
            Requirements r = p.requirements();
            if (r != null && r.model() != null && !models.contains(r.model())) {
                errors.add(new ConfigError(at + ".requirements.model", "unknown model '" + r.model() + "' (known: " + new java.util.TreeSet<>(models) + ")"));
            } else if (g != null && r != null) {
                boolean someFit = false;
                for (String id : concat(g.servers(), g.spares())) {
                    ServerSpec s = servers.get(id);
                    if (s != null && SpareQualification.fit(new ServerView(s, g.id(), ServerState.UNKNOWN, null, false, null), p).isEmpty()) someFit = true;
                }
                if (!someFit) errors.add(new ConfigError(at + ".requirements", "no server of group '" + g.id() + "' meets them"));
            }
            if (p.dataDir() != null && !p.dataDir().startsWith("/")) {
                errors.add(new ConfigError(at + ".dataDir", "expected an absolute path, got '" + p.dataDir() + "'"));
            }
            if (p.priority() < 0) errors.add(new ConfigError(at + ".priority", "expected 0 or more (lower wins), got " + p.priority()));
            lockstep(errors, at, p, g);
            for (int j = 0; j < p.after().size(); j++) {
                String f = p.after().get(j);
                if (blank(f)) errors.add(new ConfigError(at + ".after[" + j + "]", "expected the id of a profile to start after"));
                else if (f.equals(p.id())) errors.add(new ConfigError(at + ".after[" + j + "]", "a profile cannot start after itself ('" + f + "')"));
                else if (dc.profiles().stream().noneMatch(o -> f.equals(o.id()))) errors.add(new ConfigError(at + ".after[" + j + "]",
                        "unknown profile '" + f + "' (expected the id of a profile this one starts after)"));
            }
            Identity id = p.identity();
            unique(errors, seen, at + ".identity.hostname", "hostname", id.hostname());
            for (int j = 0; j < id.addresses().size(); j++) {
                String a = id.addresses().get(j);
                if (!a.matches("\\d{1,3}(\\.\\d{1,3}){3}(/\\d{1,2})?")) errors.add(new ConfigError(at + ".identity.addresses[" + j + "]", "expected an IPv4 address like 198.18.1.10/24, got '" + a + "'"));
                unique(errors, seen, at + ".identity.addresses[" + j + "]", "alias address", a.replaceAll("/.*", ""));
            }
            for (int j = 0; j < id.macs().size(); j++) {
                String m = id.macs().get(j);
                if (!m.matches("(?i)[0-9a-f]{2}(:[0-9a-f]{2}){5}")) errors.add(new ConfigError(at + ".identity.macs[" + j + "]", "expected a MAC like 02:00:00:00:00:01, got '" + m + "'"));
                unique(errors, seen, at + ".identity.macs[" + j + "]", "MAC", m.toLowerCase());
            }
            List<String> withAgents = g == null ? List.of()
                    : concat(g.servers(), g.spares()).stream().filter(s -> servers.get(s) != null && servers.get(s).agent() != null).toList();
            for (int j = 0; j < id.fcPorts().size(); j++) {
                unique(errors, seen, at + ".identity.fcPorts[" + j + "].wwpn", "WWPN", id.fcPorts().get(j).wwpn());
                // An agent never rewrites the port its OS booted through, and no enclosure here moves FC addresses:
                // every failover onto such a server would fence the source and then fail at activate.
                if (id.fcPorts().get(j).bootFromSan() && !withAgents.isEmpty()) {
                    errors.add(new ConfigError(at + ".identity.fcPorts[" + j + "].bootFromSan", "servers " + withAgents + " of group '" + g.id()
                            + "' take the identity through their agent, which never rewrites a boot-from-SAN port, and no enclosure here"
                            + " moves FC addresses: expected false (the agent moves the port as an NPIV virtual port)"));
                }
            }
        }
        List<String> cycle = io.understudy.model.policy.BootOrder.cycle(dc.profiles());
        if (cycle.size() > 2) {
            int i = indexOf(dc.profiles(), cycle.get(0));
            errors.add(new ConfigError("profiles[" + i + "].after", "boot order cycle: " + String.join(" -> ", cycle)
                    + " (each starts after the next, so none would ever start): expected no cycle"));
        }
        return errors;
    }

    private static int indexOf(List<ProfileSpec> profiles, String id) {
        for (int i = 0; i < profiles.size(); i++) if (id.equals(profiles.get(i).id())) return i;
        return -1;
    }

    /** The command-line option by which a lab lets the simulator stand in for the agents its servers lack. */
    public static final String SIMULATE_MISSING_AGENTS = "--simulate-missing-agents";

    /**
     * Servers with a real BMC ({@code redfish}, {@code ipmi}, {@code fence-agent}) and no agent. Invariant 8: only the
     * operator may ask for the simulator, and a simulated agent would heartbeat on after the real server went off, so
     * no crash would be seen and no fence confirmed; outside a lab run with {@link #SIMULATE_MISSING_AGENTS} the
     * control plane refuses such a server. Kept apart from {@link #validate}: a lab's file is valid, only not for
     * production.
     */
    public static List<ConfigError> agentsMissing(DataCenterConfig dc) {
        List<ConfigError> errors = new ArrayList<>();
        for (int i = 0; i < dc.servers().size(); i++) {
            ServerSpec s = dc.servers().get(i);
            if (s.agent() != null || "sim".equals(s.bmc().driver())) continue;
            errors.add(new ConfigError("servers[" + i + "].agent", "server '" + s.id() + "' has a real BMC (" + s.bmc().driver()
                    + ") but no agent: add an agent section with the endpoint and secretFile of the understudy agent running on it"
                    + " (nothing else can see it crash or hold its identity); only a lab may let the simulator stand in for it ("
                    + SIMULATE_MISSING_AGENTS + ")"));
        }
        return errors;
    }

    /** The BMC's driver settings; the rules live beside the fields in {@link Bmc#problems}. */
    private static void bmc(List<ConfigError> errors, String at, Bmc bmc) {
        errors.addAll(bmc.problems(at));
    }

    private static void member(List<ConfigError> errors, String at, List<String> ids, String group,
                               Map<String, ServerSpec> servers, Map<String, String> groupOf) {
        for (int j = 0; j < ids.size(); j++) {
            String id = ids.get(j);
            if (!servers.containsKey(id)) errors.add(new ConfigError(at + "[" + j + "]", "unknown server '" + id + "'"));
            String before = groupOf.putIfAbsent(id, group);
            if (before != null && !before.equals(group)) errors.add(new ConfigError(at + "[" + j + "]", "server '" + id + "' is already in group '" + before + "'"));
        }
    }

    /** Each hook's own rules, and a name unique in the whole file: deliveries and alarms name the hook by it. */
    private static void hooks(List<ConfigError> errors, String at, List<HookSpec> hooks, Map<String, String> names) {
        for (int j = 0; j < hooks.size(); j++) {
            HookSpec h = hooks.get(j);
            String here = at + "[" + j + "]";
            if (h == null) {
                errors.add(new ConfigError(here, "expected a hook with a name, events and a command or webhook"));
                continue;
            }
            errors.addAll(h.problems(here));
            String before = h.name() == null ? null : names.putIfAbsent(h.name(), here);
            if (before != null) errors.add(new ConfigError(here + ".name", "duplicate hook name '" + h.name() + "' (also at " + before + ")"));
        }
    }

    /** A lockstep profile: its group's level (a 1:1 pair), a port its members answer on, no data copied around. */
    private static void lockstep(List<ConfigError> errors, String at, ProfileSpec p, GroupSpec g) {
        boolean groupLockstep = g != null && g.policy().protection() == ProtectionLevel.LOCKSTEP;
        if (p.protection() == ProtectionLevel.LOCKSTEP && g != null && !groupLockstep) {
            errors.add(new ConfigError(at + ".protection", "lockstep is a group's level (one regular server and its twin); expected cold, hot or"
                    + " preloaded here, or protection: lockstep on group '" + g.id() + "'"));
        }
        boolean lockstep = groupLockstep && (p.protection() == null || p.protection() == ProtectionLevel.LOCKSTEP);
        if (lockstep && p.pairPort() == null) {
            errors.add(new ConfigError(at + ".pairPort", "a lockstep profile needs the port its pair's members answer on (client requests and status)"));
        }
        if (p.pairPort() != null && (p.pairPort() < 1 || p.pairPort() > 65535)) {
            errors.add(new ConfigError(at + ".pairPort", "expected a TCP port from 1 to 65535, got " + p.pairPort()));
        }
        if (p.pairPort() != null && !lockstep) errors.add(new ConfigError(at + ".pairPort", "only a lockstep profile has a pair; remove it or make the group lockstep"));
        PairArbiter a = p.pairArbiter();
        if (a != null && !lockstep) errors.add(new ConfigError(at + ".pairArbiter", "only a lockstep profile has a pair; remove it or make the group lockstep"));
        if (a != null && lockstep) {
            if (a.host() == null || a.port() < 1 || a.port() > 65535) {
                errors.add(new ConfigError(at + ".pairArbiter.address", "expected HOST:PORT (the arbiter's Raft address on a control-plane host), got "
                        + (a.address() == null ? "nothing" : "'" + a.address() + "'")));
            }
            if (a.memberPort() == null || a.memberPort() < 1 || a.memberPort() > 65535) {
                errors.add(new ConfigError(at + ".pairArbiter.memberPort", "expected the TCP port (1 to 65535) the pair's members talk Raft on, got "
                        + a.memberPort()));
            }
        }
        if (lockstep && p.dataDir() != null) {
            errors.add(new ConfigError(at + ".dataDir", "a lockstep pair keeps its state in its own replicated log; remove dataDir (backups are not copied)"));
        }
    }

    private static void policy(List<ConfigError> errors, String at, GroupPolicy p) {
        if (p.heartbeatInterval().isNegative() || p.heartbeatInterval().isZero()) errors.add(new ConfigError(at + ".heartbeatInterval", "expected a positive duration"));
        if (p.failureTimeout().compareTo(p.heartbeatInterval()) <= 0) errors.add(new ConfigError(at + ".failureTimeout", "expected longer than heartbeatInterval (" + p.heartbeatInterval() + ")"));
        if (p.anticipatedFailures() < 0) errors.add(new ConfigError(at + ".anticipatedFailures", "expected 0 or more"));
        if (p.fallbackLimit() < 1) errors.add(new ConfigError(at + ".fallbackLimit", "expected 1 or more"));
        if (p.retryLimit() < 1) errors.add(new ConfigError(at + ".retryLimit", "expected 1 or more"));
        if (p.retryBackoff().isNegative() || p.retryBackoff().isZero()) errors.add(new ConfigError(at + ".retryBackoff", "expected a positive duration"));
        if (p.retryWindow().compareTo(p.retryBackoff()) <= 0) errors.add(new ConfigError(at + ".retryWindow", "expected longer than retryBackoff (" + p.retryBackoff() + ")"));
        if (p.verifyRechecks() < 0) errors.add(new ConfigError(at + ".verifyRechecks", "expected 0 or more"));
        if ((p.backupInterval().isNegative() || p.backupInterval().isZero())) errors.add(new ConfigError(at + ".backupInterval", "expected a positive duration"));
        if ((p.syncInterval().isNegative() || p.syncInterval().isZero())) errors.add(new ConfigError(at + ".syncInterval", "expected a positive duration"));
        if (p.selfFenceTimeout() != null && p.selfFenceTimeout().compareTo(p.failureTimeout()) < 0) {
            errors.add(new ConfigError(at + ".selfFenceTimeout", "expected at least failureTimeout (" + p.failureTimeout()
                    + "): an agent must not fence itself before the control plane would call it failed"));
        }
        if (p.fenceWithoutBmc() && p.selfFenceTimeout() == null) {
            errors.add(new ConfigError(at + ".fenceWithoutBmc", "needs selfFenceTimeout: a server is only taken as fenced"
                    + " without its BMC once it has surely fenced itself"));
        }
    }

    private static void unique(List<ConfigError> errors, Map<String, String> seen, String at, String what, String value) {
        if (blank(value)) return;
        String before = seen.putIfAbsent(what + ":" + value, at);
        if (before != null) errors.add(new ConfigError(at, "duplicate " + what + " '" + value + "' (also at " + before + ")"));
    }

    private static boolean validBay(String bay, int bays) {
        if (!bay.matches("bay\\d+")) return false;
        int n = Integer.parseInt(bay.substring(3));
        return n >= 1 && n <= bays;
    }

    private static List<String> concat(List<String> a, List<String> b) {
        List<String> all = new ArrayList<>(a);
        all.addAll(b);
        return all;
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }
}
