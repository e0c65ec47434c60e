package io.understudy.system.netns;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * The outage a client sees when understudy fails a profile over on real hosts, for the bench script
 * {@code bench/outage.sh} (which measures keepalived on the same kind of topology in the same run). Not a test:
 * enabled by {@code -Dunderstudy.bench.outage=TRIALS}. Each trial builds a fresh namespace data center, kills the
 * regular server's processes (kill -9) and measures the client's longest gap, the detection (kill to job created)
 * and the takeover (job created to the client's first good answer). Writes target/outage-LEVEL.txt.
 */
@EnabledIfSystemProperty(named = "understudy.bench.outage", matches = "\\d+")
class OutageBench {

    @Test
    void hot() throws Exception {
        run("hot", Duration.ofMillis(200), Duration.ofSeconds(1));
    }

    @Test
    void preloaded() throws Exception {
        // Three heartbeats missed, as VRRP's master-down interval (3 × advert_int) counts them.
        run("preloaded", Duration.ofMillis(100), Duration.ofMillis(300));
    }

    /**
     * The same topology and the same failure as {@link #preloaded}, at level lockstep: the client is the lockstep lab's
     * ({@link LockstepLoad}, 64 connections with request ids through the alias) and its outage is the longest time
     * without any acknowledgement; acknowledged inputs lost are those the client found applied twice or missing.
     */
    @Test
    void lockstep() throws Exception {
        Duration heartbeat = Duration.ofMillis(100);
        Duration timeout = Duration.ofMillis(300);
        int trials = Integer.parseInt(System.getProperty("understudy.bench.outage"));
        List<Double> outage = new ArrayList<>();
        List<Double> detection = new ArrayList<>();
        List<Double> rate = new ArrayList<>();
        long lost = 0;
        int falseFailovers = 0;
        for (int i = 1; i <= trials; i++) {
            try (NetnsDataCenter dc = NetnsDataCenter.create("bench-lockstep", "lockstep", heartbeat, timeout)) {
                dc.serviceAtHome();
                dc.awaitPair("paired");
                Process load = dc.startLoad(64);
                dc.awaitAcknowledged(2_000);
                // The pair's re-pair jobs (they form it) aside: any other job now is a failover of the healthy primary.
                if (NetnsDataCenter.moves(dc.jobs()).size() > 0) {
                    // The healthy primary was failed over before the kill (a late heartbeat under the lab's load and an
                    // unanswered BMC at this tight timeout; fenced first): a false failover, and no trial to measure.
                    falseFailovers += NetnsDataCenter.moves(dc.jobs()).size();
                    System.out.printf(Locale.ROOT, "lockstep trial %d: void, failed over before the kill: %s%n", i,
                            NetnsDataCenter.moves(dc.jobs()).get(0).get("reason"));
                    dc.stopLoad(load);
                    continue;
                }
                long killedAt = System.currentTimeMillis();
                dc.lab.killAll("a");
                // The failover of the kill: a job created before it (a late heartbeat on a loaded machine, not
                // confirmed, nothing fenced) is counted as a false failover, not taken for this one.
                java.util.function.Predicate<com.fasterxml.jackson.databind.JsonNode> afterKill =
                        j -> java.time.Instant.parse(j.get("created").asText()).toEpochMilli() >= killedAt && !j.get("type").asText().equals("re-pair");
                com.fasterxml.jackson.databind.JsonNode job = io.understudy.system.SystemTests.stream(dc.jobsWhen(n ->
                        io.understudy.system.SystemTests.stream(n).anyMatch(afterKill)
                                && io.understudy.system.SystemTests.stream(n).noneMatch(j -> j.get("status").asText().equals("running"))))
                        .filter(afterKill).findFirst().orElseThrow();
                if (!job.get("status").asText().equals("succeeded")) throw new AssertionError("trial " + i + ": " + job);
                dc.awaitTrue("b answers on the alias", Duration.ofSeconds(30), () -> dc.who().equals("b"));
                dc.awaitAcknowledged(2_000);
                com.fasterxml.jackson.databind.JsonNode sum = dc.stopLoad(load);
                falseFailovers += NetnsDataCenter.moves(dc.jobs()).size() - 1;
                lost += sum.get("violations").size() + sum.get("mismatches").size();
                outage.add(sum.get("max_gap_ms").asDouble());
                detection.add((double) (java.time.Instant.parse(job.get("created").asText()).toEpochMilli() - killedAt));
                rate.add(sum.get("rate").asDouble());
                System.out.printf(Locale.ROOT, "lockstep trial %d: outage %d ms, detection %.0f ms, %d requests/s, acknowledged lost %d%n", i,
                        sum.get("max_gap_ms").asLong(), detection.get(detection.size() - 1), sum.get("rate").asLong(),
                        sum.get("violations").size() + sum.get("mismatches").size());
            }
        }
        String report = String.format(Locale.ROOT,
                "understudy lockstep (heartbeat %d ms, failure timeout %d ms), %d trials, false failovers %d, acknowledged inputs lost %d%n"
                        + "  client outage  %s%n  detection      %s%n  client rate    median %.0f requests/s%n",
                heartbeat.toMillis(), timeout.toMillis(), trials, falseFailovers, lost, stats(outage), stats(detection),
                rate.isEmpty() ? 0 : rate.stream().sorted().toList().get(rate.size() / 2));
        System.out.print(report);
        Files.writeString(Path.of("target", "outage-lockstep.txt"), report);
    }

    private void run(String level, Duration heartbeat, Duration timeout) throws Exception {
        int trials = Integer.parseInt(System.getProperty("understudy.bench.outage"));
        List<Double> outage = new ArrayList<>();
        List<Double> detection = new ArrayList<>();
        List<Double> takeover = new ArrayList<>();
        List<Double> fence = new ArrayList<>();
        List<Double> activate = new ArrayList<>();
        int falseFailovers = 0;
        for (int i = 1; i <= trials; i++) {
            try (NetnsDataCenter dc = NetnsDataCenter.create("bench-" + level, level, heartbeat, timeout)) {
                dc.serviceAtHome();
                NetnsDataCenter.Trial t = dc.killRegular();
                if (!t.job().get("status").asText().equals("succeeded")) throw new AssertionError("trial " + i + ": " + t.job());
                falseFailovers += dc.jobs().size() - 1;
                outage.add(t.outageMs());
                detection.add((double) t.detectionMs());
                takeover.add((double) t.takeoverMs());
                fence.add((double) t.stepMs("fence"));
                activate.add((double) t.stepMs("activate"));
                System.out.printf(Locale.ROOT, "%s trial %d: outage %.0f ms, detection %d ms, takeover %d ms (fence %d, activate %d)%n",
                        level, i, t.outageMs(), t.detectionMs(), t.takeoverMs(), t.stepMs("fence"), t.stepMs("activate"));
            }
        }
        String report = String.format(Locale.ROOT,
                "understudy %s (heartbeat %d ms, failure timeout %d ms), %d trials, false failovers %d%n"
                        + "  client outage  %s%n  detection      %s%n  takeover       %s%n    fence step   %s%n    activate     %s%n",
                level, heartbeat.toMillis(), timeout.toMillis(), trials, falseFailovers, stats(outage), stats(detection), stats(takeover),
                stats(fence), stats(activate));
        System.out.print(report);
        Files.writeString(Path.of("target", "outage-" + level + ".txt"), report);
    }

    private static String stats(List<Double> xs) {
        if (xs.isEmpty()) return "no trial measured";
        List<Double> s = new ArrayList<>(xs);
        s.sort(null);
        double median = s.size() % 2 == 1 ? s.get(s.size() / 2) : (s.get(s.size() / 2 - 1) + s.get(s.size() / 2)) / 2;
        double p95 = s.get((int) Math.min(s.size() - 1, Math.ceil(0.95 * s.size()) - 1));
        return String.format(Locale.ROOT, "median %6.0f ms   p95 %6.0f ms   max %6.0f ms", median, p95, s.get(s.size() - 1));
    }
}
