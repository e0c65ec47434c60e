package io.understudy.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.understudy.sim.DemoDataCenter;
import io.understudy.sim.Fault;
import io.understudy.state.Job;
import io.understudy.state.JobType;
import io.understudy.testkit.Patience;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The demo's lockstep pair on a real node: its simulated servers run real pair members (the example key-value
 * service), fed by a client that counts visits. The primary's server crashes in the simulator — its member dies with
 * it — the control plane fences it and moves the alias, and the twin goes on counting from where the pair was: every
 * acknowledged visit is there exactly once; the repaired home is synced back in by a re-pair job.
 */
class SimPairsTest {
    private static final Duration PATIENCE = Patience.scaled(Duration.ofSeconds(90));

    private static Map<String, Object> pair(Node node) {
        return node.engine().pairs().get("ledger");
    }

    private static long visits(Node node, String server) {
        return node.simPairs().running("ledger", server).map(m -> m.read(s -> {
            String v = new String(s.apply("get visits".getBytes(StandardCharsets.UTF_8)), StandardCharsets.UTF_8);
            return v.matches("\\d+") ? Long.parseLong(v) : 0L;
        })).orElse(-1L);
    }

    @Test
    void demoLedgerPair_realMembersCount_theTwinGoesOnAfterThePrimaryCrashes_exactlyOnce_andTheRepairedHomeIsSyncedBackIn(@TempDir Path dir) throws Exception {
        try (Node node = new Node(NodeSimulatorTest.settings(dir, DemoDataCenter.withLedgerPair(DemoDataCenter.build(2))))) {
            await().atMost(PATIENCE).until(() -> pair(node) != null && "paired".equals(pair(node).get("state"))
                    && pair(node).get("seq") instanceof Long seq && seq > 20);
            node.sim().inject("led-a", Fault.CRASH);
            await().atMost(PATIENCE).until(() -> node.store().read(s -> s.jobs().stream()
                    .anyMatch(j -> j.type() == JobType.FAILOVER && j.status() == Job.Status.SUCCEEDED)));
            long before = node.simPairs().acknowledged("ledger");
            await().atMost(PATIENCE).until(() -> node.simPairs().acknowledged("ledger") > before + 20);

            // Exactly once on the survivor: every acknowledged visit counted, at most the one in flight beside them.
            long acked = node.simPairs().acknowledged("ledger");
            long counted = visits(node, "led-b");
            long ackedAfter = node.simPairs().acknowledged("ledger");
            assertThat(counted).isBetween(acked, ackedAfter + 1);
            assertThat(node.simPairs().running("ledger", "led-a")).as("the crashed server's member died with it").isEmpty();

            node.sim().repair("led-a");
            await().atMost(PATIENCE).until(() -> node.store().read(s -> s.jobs().stream()
                    .anyMatch(j -> j.type() == JobType.REPAIR && "led-a".equals(j.target()) && j.status() == Job.Status.SUCCEEDED)));
            await().atMost(PATIENCE).until(() -> "paired".equals(pair(node).get("state")) && "led-a".equals(pair(node).get("twin")));
            assertThat(pair(node)).containsEntry("primary", "led-b");
        }
    }
}
