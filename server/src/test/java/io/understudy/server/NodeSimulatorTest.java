package io.understudy.server;

import io.understudy.testkit.Patience;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.understudy.model.config.AgentSpec;
import io.understudy.model.config.Bmc;
import io.understudy.model.config.DataCenterConfig;
import io.understudy.model.config.ServerSpec;
import io.understudy.sim.DemoDataCenter;
import io.understudy.sim.SimTimings;
import io.understudy.state.Json;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Invariant 8 on a real node (issue 11): the embedded simulator plays only what the operator named — a {@code sim}
 * BMC, or a lab's explicit stand-in agents — and the servers view says which.
 */
class NodeSimulatorTest {
    /** The demo data center with dl-1 (servers[1]) on a real IPMI BMC that answers nobody, and the given agent. */
    static DataCenterConfig withRealServer(AgentSpec agent) {
        DataCenterConfig demo = DemoDataCenter.build();
        Bmc ipmi = new Bmc("ipmi", "127.0.0.1:9", "admin", "UNDERSTUDY_TEST_NO_SUCH_PASSWORD", null, null, null, 3, null, null, null, 0);
        var servers = demo.servers().stream().map(s -> !s.id().equals("dl-1") ? s : new ServerSpec(s.id(), s.location(), s.hostname(),
                s.address(), s.model(), s.generation(), s.cores(), s.memoryGib(), ipmi, agent)).toList();
        assertThat(servers.get(1).id()).isEqualTo("dl-1");
        return new DataCenterConfig(demo.name(), demo.enclosures(), servers, demo.groups(), demo.profiles());
    }

    static Node.Settings settings(Path dir, DataCenterConfig config) throws Exception {
        int raft = io.understudy.testkit.Ports.free();
        return new Node.Settings(dir, "127.0.0.1", 0, raft, config, 1, SimTimings.FAST);
    }

    static JsonNode servers(Node node) throws Exception {
        HttpRequest req = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + node.port() + "/api/v1/servers"))
                .header("Authorization", "Bearer " + node.tokens().first(Tokens.Role.VIEWER).token()).build();
        return Json.MAPPER.readTree(HttpClient.newHttpClient().send(req, HttpResponse.BodyHandlers.ofString()).body());
    }

    static Map<String, JsonNode> byId(JsonNode servers) {
        Map<String, JsonNode> m = new HashMap<>();
        servers.forEach(s -> m.put(s.get("id").asText(), s));
        return m;
    }

    @Test
    void simulatorStoodInForMissingAgent_realBmcServerWithoutAgent_isRefusedBeforeAnythingStarts(@TempDir Path dir) throws Exception {
        Path data = dir.resolve("data");
        IllegalArgumentException e = catchThrowableOfType(IllegalArgumentException.class,
                () -> new Node(settings(data, withRealServer(null))).close());
        assertThat(e).as("a node started with a real-BMC server and no agent").isNotNull();
        assertThat(e.getMessage()).contains("servers[1].agent: server 'dl-1' has a real BMC (ipmi) but no agent: add an agent section",
                "--simulate-missing-agents");
        assertThat(Files.exists(data)).as("no Raft log started, nothing committed").isFalse();
    }

    @Test
    void simulatedAgentHeartbeatedForRealServer_realBmcServerWithAgent_isNeverHeardFromTheSimulator(@TempDir Path dir) throws Exception {
        try (Node node = new Node(settings(dir, withRealServer(new AgentSpec("http://127.0.0.1:9", "UNDERSTUDY_TEST_NO_SUCH_SECRET", null))))) {
            // Every simulated agent beats on the same schedule: by dl-2's second beat dl-1's simulated one would have come.
            await().atMost(Patience.scaled(Duration.ofSeconds(30))).until(() -> node.engine().detector().lastSeen("dl-2") != null);
            Instant first = node.engine().detector().lastSeen("dl-2");
            await().atMost(Patience.scaled(Duration.ofSeconds(30))).until(() -> node.engine().detector().lastSeen("dl-2").isAfter(first));
            assertThat(node.engine().detector().lastSeen("dl-1")).as("heartbeat of the real dl-1").isNull();
            Map<String, JsonNode> view = byId(servers(node));
            assertThat(view.get("dl-1").get("simulated")).isEmpty();
            assertThat(view.get("dl-2").get("simulated")).extracting(JsonNode::asText).containsExactly("bmc", "agent");
            assertThat(node.standIns()).isEmpty();
        }
    }

    @Test
    void labOptIn_realBmcServerWithoutAgent_runsOnAStandInAgentThatIsShown(@TempDir Path dir) throws Exception {
        try (Node node = new Node(settings(dir, withRealServer(null)).simulatingMissingAgents(true))) {
            assertThat(node.standIns()).containsExactly("dl-1");
            Map<String, JsonNode> view = byId(servers(node));
            assertThat(view.get("dl-1").get("simulated")).extracting(JsonNode::asText).containsExactly("agent");
            assertThat(view.get("bl-1").get("simulated")).extracting(JsonNode::asText).containsExactly("bmc", "agent");
        }
    }
}
