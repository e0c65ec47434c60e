package io.understudy.engine.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.understudy.model.config.DataCenterConfig;
import io.understudy.model.config.HookEvent;
import io.understudy.model.config.HookSpec;
import io.understudy.sim.DemoDataCenter;
import io.understudy.sim.Fault;
import io.understudy.sim.SimTimings;
import io.understudy.state.ClusterState;
import io.understudy.state.HookFiring;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.apache.ratis.util.ExitUtils;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A hook runs once per event in a 3-node control plane: leader changes neither lose nor repeat a recorded delivery. */
class ClusterHooksTest {
    private static final List<String> PROFILES = DemoDataCenter.build(4).profiles().stream().map(p -> p.id()).toList();

    @TempDir
    Path dir;

    @BeforeAll
    static void keepJvm() {
        ExitUtils.disableSystemExit();
    }

    static HookFiring.Delivery delivery(ControlPlaneCluster c) {
        return c.read(s -> s.hookEvents().stream().filter(f -> f.event() == HookEvent.POST_FAILOVER).findFirst()
                .map(f -> f.delivery("notify")).orElse(null));
    }

    @Test
    void postFailoverHook_failedOnceThenLeaderKilled_isDeliveredByTheNextLeader_once_andNeverAgain() throws Exception {
        Path log = dir.resolve("notify.log");
        Path marker = dir.resolve("marker");
        // Fails its first run (as a receiver that is briefly down), succeeds after.
        String script = "echo \"$UNDERSTUDY_EVENT_ID $UNDERSTUDY_PROFILE\" >> " + log + "; [ -e " + marker + " ] && exit 0; touch " + marker + "; exit 1";
        HookSpec notify = new HookSpec("notify", List.of(HookEvent.POST_FAILOVER), List.of("/bin/sh", "-c", script), null, null,
                Duration.ofSeconds(20), 5, Duration.ofSeconds(10));
        DataCenterConfig demo = DemoDataCenter.build(4);
        DataCenterConfig dc = new DataCenterConfig(demo.name(), demo.enclosures(), demo.servers(), demo.groups(), demo.profiles(), List.of(notify));
        try (ControlPlaneCluster c = new ControlPlaneCluster(3, Files.createDirectories(dir.resolve("raft")), dc, SimTimings.FAST)) {
            c.runUntil(() -> false, Duration.ofSeconds(12), PROFILES);
            c.sim.inject("dl-1", Fault.CRASH);
            assertThat(c.runUntil(() -> delivery(c) != null && delivery(c).attempts() == 1, Duration.ofSeconds(60), PROFILES)).isTrue();

            ControlPlaneCluster.Node first = c.leader();
            first.kill();
            assertThat(c.runUntil(() -> delivery(c).status() == HookFiring.Status.DELIVERED, Duration.ofSeconds(60), PROFILES)).isTrue();
            first.start();
            c.runUntil(() -> false, Duration.ofSeconds(2), PROFILES);
            c.settle();
            c.leader().kill();
            c.leader();
            c.runUntil(() -> false, Duration.ofSeconds(60), PROFILES);

            assertThat(Files.readAllLines(log)).containsExactly("1 web-1", "1 web-1");
            assertThat(delivery(c).attempts()).isEqualTo(2);
            assertThat(delivery(c).status()).isEqualTo(HookFiring.Status.DELIVERED);
            c.settle();
            List<Long> pending = c.up().stream().map(n -> n.store.read(s -> (long) s.pendingHookEvents().size())).toList();
            assertThat(pending).containsOnly(0L);
            List<List<HookFiring>> events = c.up().stream().map(n -> n.store.read(s -> List.copyOf(s.hookEvents()))).toList();
            assertThat(events).allSatisfy(e -> assertThat(e).isEqualTo(events.get(0)));
            assertThat(c.read(ClusterState::appliedIndex)).isPositive();
        }
    }
}
