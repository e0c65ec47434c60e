package io.understudy.system.chaos;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Runs trials one after the other on the same processes (started afresh only when a trial left them wedged), and
 * shrinks every failing schedule to the shortest one that still fails. Reports trials, faults applied by kind, leader
 * kills, partitions and every violation with its seed and shrunk schedule.
 */
final class Campaign implements AutoCloseable {
    /** A violation found: the seed's schedule, the shortest schedule that still broke the invariant, and where its history is. */
    record Finding(Schedule schedule, Schedule shrunk, List<Violation> violations, Path history) {
        @Override
        public String toString() {
            return "VIOLATION, seed " + schedule.seed() + ":\n" + violations.stream().map(v -> "  " + v).collect(Collectors.joining("\n"))
                    + "\n  schedule: " + schedule + "\n  shortest schedule that still fails: " + shrunk + "\n  history: " + history;
        }
    }

    /** What a campaign did and found. */
    record Report(int from, int trials, Map<FaultKind, Integer> applied, List<Finding> findings, boolean raftPartitions) {
        int leaderKills() {
            return applied.getOrDefault(FaultKind.LEADER_KILL, 0) + applied.getOrDefault(FaultKind.LEADER_KILL_AT_STEP, 0);
        }

        int partitions() {
            return applied.getOrDefault(FaultKind.AGENT_PARTITION, 0) + applied.getOrDefault(FaultKind.RAFT_PARTITION, 0);
        }

        @Override
        public String toString() {
            return "chaos campaign: " + trials + " trial(s)" + (from > 0 ? " (" + (from + 1) + " to " + (from + trials) + " of the campaign)" : "") + "\n"
                    + "faults injected by kind: " + applied.entrySet().stream().map(e -> e.getKey().name().toLowerCase().replace('_', '-') + "=" + e.getValue())
                    .collect(Collectors.joining(" ")) + "\n"
                    + "leader kills: " + leaderKills() + "\n"
                    + "partitions: " + partitions() + (raftPartitions ? "" : " (Raft partitions skipped: not root or no iptables)") + "\n"
                    + "violations found: " + findings.stream().mapToInt(f -> f.violations().size()).sum() + " in " + findings.size() + " trial(s)"
                    + findings.stream().map(f -> "\n" + f).collect(Collectors.joining());
        }
    }

    private final Path dir;
    private final double speed;
    private final int shrinkRuns;
    private final RaftPartition raft = new RaftPartition();
    private final boolean raftPartitions = RaftPartition.available();
    private HardwareHistory hardware;
    private ControlPlane plane;
    private int planes;

    Campaign(Path dir, double speed, int shrinkRuns) {
        this.dir = dir;
        this.speed = speed;
        this.shrinkRuns = shrinkRuns;
    }

    /** Runs the trials of {@code seeds} after the first {@code from} (a long campaign's later part). */
    Report run(List<Long> seeds, int from) throws Exception {
        Map<FaultKind, Integer> applied = new EnumMap<>(FaultKind.class);
        List<Finding> findings = new ArrayList<>();
        Set<FaultKind> kinds = Schedule.allKinds(raftPartitions);
        int n = 0;
        for (long seed : seeds.subList(from, seeds.size())) {
            Schedule s = Schedule.draw(seed, kinds);
            Trial.Result r = trial(s);
            r.applied().forEach((k, v) -> applied.merge(k, v, Integer::sum));
            n++;
            System.out.println("trial " + (from + n) + "/" + seeds.size() + " " + s + "\n  -> " + (r.failed() ? r.violations() : "ok") + " (" + r.phases() + ")");
            if (!r.failed()) continue;
            Path history = dir.resolve("history-" + seed + ".json");
            r.history().write(history);
            Schedule shrunk = Shrinker.shrink(s, r.violations(), c -> trial(c).violations(), shrinkRuns);
            Finding f = new Finding(s, shrunk, r.violations(), history);
            System.out.println(f);
            findings.add(f);
        }
        return new Report(from, n, applied, findings, raftPartitions);
    }

    /** One trial on the running processes; they are started afresh after a trial that wedged them. */
    private Trial.Result trial(Schedule s) throws Exception {
        if (plane == null) {
            planes++;
            plane = new ControlPlane(dir.resolve("plane-" + planes), dir.resolve("logs-" + planes), speed);
            plane.startAll();
            hardware = new HardwareHistory();
        }
        History.Recorder recorder = new History.Recorder();
        ApiClient api = new ApiClient(plane, recorder);
        Trial.Result r = new Trial(plane, raft, recorder, api, hardware).run(s);
        if (r.wedged()) {
            plane.close();
            plane = null;
        }
        return r;
    }

    @Override
    public void close() throws Exception {
        raft.close();
        if (plane != null) plane.close();
    }
}
