package io.understudy.system.chaos;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * A trial's faults in time order, drawn from a seed: the same seed (and the same kinds allowed) gives the same
 * schedule, so a violation is reproduced by its seed, and shrunk by dropping faults from it.
 */
record Schedule(long seed, List<Fault> faults) {
    /** The job steps a leader kill may wait for: a failover's, a fallback's and a move's. */
    static final List<String> STEPS = List.of("check-group", "identify-source", "select-spare", "fence", "move-profile",
            "activate", "verify", "release", "release-spare", "sync-data", "check-move", "stop-source", "release-source");

    /** How long the faults are spread over, wall time. */
    static final long SPAN_MS = 8_000;

    Schedule {
        faults = List.copyOf(faults);
    }

    /** A random schedule of 2 to 6 faults; {@code allowed} leaves out what this machine cannot do (Raft partitions without root). */
    static Schedule draw(long seed, Set<FaultKind> allowed) {
        Random r = new Random(seed);
        Random variants = new Random(seed * 31 + 7);
        List<FaultKind> kinds = allowed.stream().filter(k -> k.variantOf() == null).toList();
        List<String> servers = ChaosDataCenter.serverIds();
        List<String> profiles = ChaosDataCenter.profiles();
        int n = 2 + r.nextInt(5);
        List<Fault> out = new ArrayList<>();
        int nodeKills = 0;
        for (int i = 0; i < n; i++) {
            FaultKind k = kinds.get(r.nextInt(kinds.size()));
            // At most one node down at a time keeps a majority: the campaign tests the system, not a lost quorum.
            if (k.killsNode() && nodeKills++ > 0) k = FaultKind.CRASH;
            long at = r.nextLong(SPAN_MS);
            String target = switch (k) {
                case OPERATOR_FALLBACK, LOCK -> profiles.get(r.nextInt(profiles.size()));
                case MAINTENANCE -> ChaosDataCenter.GROUPS.get(r.nextInt(ChaosDataCenter.GROUPS.size()));
                case LEADER_KILL -> null;
                case NODE_KILL, NODE_WIPE, AGENT_PARTITION, RAFT_PARTITION -> ControlPlane.NODES.get(r.nextInt(ControlPlane.NODES.size()));
                default -> servers.get(r.nextInt(servers.size()));
            };
            long lasts = switch (k) {
                case NODE_KILL, NODE_WIPE, LEADER_KILL, AGENT_PARTITION, RAFT_PARTITION, LOCK, MAINTENANCE -> 1_000 + r.nextLong(4_000);
                default -> 0;
            };
            // Always drawn, so each fault's variant does not depend on the others'.
            boolean variant = variants.nextBoolean();
            int pick = variants.nextInt(1 << 16);
            for (FaultKind v : allowed) {
                if (!variant || v.variantOf() != k) continue;
                k = v;
                target = switch (v) {
                    case OPERATOR_MOVE -> profiles.get(pick % profiles.size());
                    case DRAIN -> servers.get(pick % servers.size());
                    case LEADER_KILL_AT_STEP -> STEPS.get(pick % STEPS.size());
                    default -> target;
                };
                break;
            }
            out.add(new Fault(at, k, target, lasts));
        }
        out.sort((a, b) -> Long.compare(a.atMs(), b.atMs()));
        return new Schedule(seed, out);
    }

    static Set<FaultKind> allKinds(boolean raftPartitions) {
        Set<FaultKind> s = EnumSet.allOf(FaultKind.class);
        if (!raftPartitions) s.remove(FaultKind.RAFT_PARTITION);
        return s;
    }

    Schedule without(int i) {
        List<Fault> rest = new ArrayList<>(faults);
        rest.remove(i);
        return new Schedule(seed, rest);
    }

    @Override
    public String toString() {
        return "seed " + seed + ", " + faults.size() + " fault(s):" + faults.stream().map(f -> "\n    " + f).collect(Collectors.joining());
    }
}
