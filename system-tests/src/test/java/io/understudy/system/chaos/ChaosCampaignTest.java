package io.understudy.system.chaos;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * A fault campaign across real processes (issue 13): three server nodes and sim-dc, seeded schedules of hardware
 * faults, operator actions, node kills and partitions, and a checker of the six invariants and liveness over each
 * trial's history. In CI a short campaign with fixed seeds; {@code bench/chaos.sh TRIALS [SEED]} runs a long one
 * through the system properties {@code understudy.chaos.trials} and {@code understudy.chaos.seed} (and
 * {@code understudy.chaos.shrinkRuns}, the re-runs a failing schedule may take to shrink); the trials of a printed
 * violation run again with {@code -Dunderstudy.chaos.seeds=SEED,...}; {@code understudy.chaos.from=K} runs a long campaign's
 * trials after the first K (its second part).
 */
class ChaosCampaignTest {
    /**
     * Fixed seeds for CI, chosen for their mix (as root with iptables; schedules drawn since the variant kinds came in):
     * 2 takes the power of the cold spare, kills n1 and crashes r1 with a spare's power stuck; 4 crashes the cold
     * blade c1, cuts the agents' link to n1, restarts n3 from an empty data directory and blocks n3's Raft port; 18
     * kills the leader once a job is at move-profile while r1 crashes; 47 drains the cold spare, asks an operator's
     * planned move and fallback of p6, takes a spare's BMC down and cuts a link. Seed 2 found a split brain (fixed:
     * sim-dc kept a powered-off server's identity at its bay), then a profile left on a server that came back from a
     * power loss without it (fixed: engine ProfileWatcher brings it up there again).
     */
    private static final List<Long> CI_SEEDS = List.of(2L, 4L, 18L, 47L);
    private static final double SPEED = 2;

    @Test
    void campaign_breaksNoInvariant() throws Exception {
        String trials = System.getProperty("understudy.chaos.trials");
        String given = System.getProperty("understudy.chaos.seeds");
        List<Long> seeds = given != null ? Arrays.stream(given.split(",")).map(String::strip).map(Long::valueOf).toList()
                : trials == null ? CI_SEEDS : seeds(Integer.parseInt(trials), Long.getLong("understudy.chaos.seed", System.nanoTime()));
        // A long campaign may run in parts (one machine-session each, on one commit): part two skips the trials part
        // one ran, and numbers its trials on from there.
        int from = Integer.getInteger("understudy.chaos.from", 0);
        if (from < 0 || from >= seeds.size()) throw new IllegalArgumentException("understudy.chaos.from: expected 0 to " + (seeds.size() - 1) + ", got " + from);
        // Afresh: sim-dc's certificate store and the nodes' data from an earlier run must not be reused.
        Path dir = Path.of("target", "chaos").toAbsolutePath();
        ControlPlane.deleteTree(dir);
        Files.createDirectories(dir);
        Campaign.Report report;
        try (Campaign c = new Campaign(dir, SPEED, Integer.getInteger("understudy.chaos.shrinkRuns", trials == null ? 2 : 12))) {
            report = c.run(seeds, from);
        }
        Files.writeString(dir.resolve("report.txt"), report + "\n");
        System.out.println(report);
        assertThat(report.findings()).as(report.toString()).isEmpty();
    }

    /** A long campaign's seeds, drawn from one seed so the whole campaign can be run again. */
    private static List<Long> seeds(int n, long seed) {
        System.out.println("campaign seed " + seed);
        Random r = new Random(seed);
        List<Long> out = new ArrayList<>();
        for (int i = 0; i < n; i++) out.add(r.nextLong() & Long.MAX_VALUE);
        return out;
    }
}
