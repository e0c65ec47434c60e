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
    /** How long the faults are spread over, wall time. */
    static final long SPAN_MS = 8_000;

    Schedule {
        faults = List.copyOf(faults);
    }

    /** A random schedule of 2 to 6 faults; {@code allowed} leaves out what this machine cannot do (Raft partitions without root). */
    static Schedule draw(long seed, Set<FaultKind> allowed) {
        Random r = new Random(seed);
        List<FaultKind> kinds = List.copyOf(allowed);
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
