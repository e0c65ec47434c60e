package io.understudy.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import io.understudy.drivers.agent.AgentProtocol;
import io.understudy.model.config.AgentSpec;
import io.understudy.model.config.DataCenterConfig;
import io.understudy.model.config.ServerSpec;
import io.understudy.sim.DemoDataCenter;
import io.understudy.sim.Fault;
import io.understudy.sim.SimTimings;
import io.understudy.state.Json;
import io.understudy.testkit.Patience;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * sim-dc's own endpoints on a real socket, with two stand-in control-plane nodes that count what the agents send them:
 * the hardware's history, fault injection and repair of every fault, and cutting one node's link.
 */
class SimulatorProcessTest {
    /** A control-plane node that only counts the heartbeats and hardware events it is sent. */
    private static final class NodeStandIn implements AutoCloseable {
        final HttpServer http;
        final AtomicInteger heartbeats = new AtomicInteger();
        final AtomicInteger events = new AtomicInteger();

        NodeStandIn() throws Exception {
            http = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 16);
            http.createContext(AgentProtocol.HEARTBEAT_PATH, ex -> {
                ex.getRequestBody().readAllBytes();
                heartbeats.incrementAndGet();
                byte[] body = "{}".getBytes(StandardCharsets.UTF_8);
                ex.sendResponseHeaders(200, body.length);
                ex.getResponseBody().write(body);
                ex.close();
            });
            http.createContext(AgentProtocol.EVENT_PATH, ex -> {
                ex.getRequestBody().readAllBytes();
                events.incrementAndGet();
                ex.sendResponseHeaders(204, -1);
                ex.close();
            });
            http.start();
        }

        String url() {
            return "http://127.0.0.1:" + http.getAddress().getPort();
        }

        @Override
        public void close() {
            http.stop(0);
        }
    }

    private final HttpClient client = HttpClient.newHttpClient();
    private NodeStandIn a;
    private NodeStandIn b;
    private SimulatorProcess sim;

    @BeforeEach
    void start(@TempDir Path dir) throws Exception {
        a = new NodeStandIn();
        b = new NodeStandIn();
        DataCenterConfig demo = DemoDataCenter.build(2);
        List<ServerSpec> servers = new ArrayList<>();
        for (ServerSpec s : demo.servers()) {
            Path secret = Files.writeString(dir.resolve(s.id() + ".secret"), "secret-of-" + s.id());
            servers.add(new ServerSpec(s.id(), s.location(), s.hostname(), s.address(), s.model(), s.generation(), s.cores(),
                    s.memoryGib(), s.bmc(), new AgentSpec("http://127.0.0.1:9", null, secret.toString())));
        }
        DataCenterConfig config = new DataCenterConfig(demo.name(), demo.enclosures(), servers, demo.groups(), demo.profiles());
        Path password = Files.writeString(dir.resolve("bmc-password"), "not-a-real-password");
        sim = new SimulatorProcess(new SimulatorProcess.Settings(config, List.of(URI.create(a.url()), URI.create(b.url())),
                "127.0.0.1", 0, 0, dir.resolve("tls"), password, 1, SimTimings.FAST));
    }

    @AfterEach
    void stop() {
        if (sim != null) sim.close();
        a.close();
        b.close();
    }

    private HttpResponse<String> call(String method, String path) throws Exception {
        HttpRequest req = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + sim.agentPort() + path))
                .method(method, HttpRequest.BodyPublishers.noBody()).build();
        return client.send(req, HttpResponse.BodyHandlers.ofString());
    }

    private JsonNode ok(String method, String path) throws Exception {
        HttpResponse<String> r = call(method, path);
        assertThat(r.statusCode()).as(method + " " + path + ": " + r.body()).isEqualTo(200);
        return Json.MAPPER.readTree(r.body());
    }

    private JsonNode refused(String method, String path) throws Exception {
        HttpResponse<String> r = call(method, path);
        assertThat(r.statusCode()).as(method + " " + path + ": " + r.body()).isEqualTo(400);
        return Json.MAPPER.readTree(r.body());
    }

    private static List<String> kinds(JsonNode page, String server) {
        List<String> out = new ArrayList<>();
        page.get("events").forEach(e -> {
            if (server.equals(e.get("server").asText(null))) out.add(e.get("kind").asText() + " " + e.get("detail").asText(null));
        });
        return out;
    }

    @Test
    void history_growsWithEachFaultAndRepair_andPagesFromWhereTheReaderStopped() throws Exception {
        JsonNode start = ok("GET", "/v1/sim/history");
        assertThat(start.get("dropped").asLong()).isZero();
        assertThat(start.get("events")).as("the data center's start: every profile on its home").isNotEmpty();
        JsonNode first = start.get("events").get(0);
        assertThat(first.get("seq").asLong()).isEqualTo(1);
        assertThat(Instant.parse(first.get("at").asText())).isNotNull();
        assertThat(first.has("holders") && first.has("profile") && first.has("detail")).as("absent fields as null").isTrue();
        long next = start.get("next").asLong();
        assertThat(next).isEqualTo(start.get("events").get(start.get("events").size() - 1).get("seq").asLong());

        ok("POST", "/v1/sim/servers/dl-1/fail?mode=crash");
        JsonNode afterCrash = ok("GET", "/v1/sim/history?after=" + next);
        assertThat(afterCrash.get("events").get(0).get("seq").asLong()).isEqualTo(next + 1);
        assertThat(kinds(afterCrash, "dl-1")).containsSubsequence("fault crash", "workload-off crash");

        ok("POST", "/v1/sim/servers/dl-1/repair");
        JsonNode afterRepair = ok("GET", "/v1/sim/history?after=" + afterCrash.get("next").asLong());
        assertThat(kinds(afterRepair, "dl-1")).containsSubsequence("repair null", "power-off repair", "identity-off power-off",
                "power-on-ordered repair");
        assertThat(afterRepair.get("next").asLong()).isGreaterThan(afterCrash.get("next").asLong());
    }

    @Test
    void history_badAfter_isRefusedNamingAfter() throws Exception {
        for (String bad : List.of("x", "-1", "1.5")) {
            JsonNode e = refused("GET", "/v1/sim/history?after=" + bad);
            assertThat(e.get("field").asText()).isEqualTo("after");
            assertThat(e.get("error").asText()).contains("'" + bad + "'");
        }
    }

    @Test
    void failAndRepair_everyFault_isInjectedRecordedAndCleared() throws Exception {
        for (Fault f : Fault.values()) {
            long before = ok("GET", "/v1/sim/history").get("next").asLong();
            ok("POST", "/v1/sim/servers/dl-2/fail?mode=" + f.wire());
            JsonNode view = viewOf("dl-2");
            assertThat(view.get("faults")).as(f.wire()).extracting(JsonNode::asText).contains(f.wire());
            ok("POST", "/v1/sim/servers/dl-2/repair");
            assertThat(viewOf("dl-2").get("faults")).as(f.wire() + " repaired").isEmpty();
            assertThat(kinds(ok("GET", "/v1/sim/history?after=" + before), "dl-2"))
                    .containsSubsequence("fault " + f.wire(), "repair null");
        }
        assertThat(refused("POST", "/v1/sim/servers/dl-2/fail?mode=melt").get("field").asText()).isEqualTo("mode");
    }

    private JsonNode viewOf(String server) throws Exception {
        for (JsonNode v : ok("GET", "/v1/sim/servers")) {
            if (v.get("id").asText().equals(server)) return v;
        }
        throw new AssertionError("no view of " + server);
    }

    private static String link(NodeStandIn node, boolean cut) {
        return "/v1/sim/links?node=" + URLEncoder.encode(node.url(), StandardCharsets.UTF_8) + "&cut=" + cut;
    }

    /** Waits (bounded, scaled by the machine's load) until {@code node} has heard {@code more} heartbeats. */
    private static void heartbeatsTo(NodeStandIn node, int more) {
        int target = node.heartbeats.get() + more;
        await().atMost(Patience.scaled(Duration.ofSeconds(30))).pollInterval(Duration.ofMillis(20))
                .until(() -> node.heartbeats.get() >= target);
    }

    @Test
    void links_cutToOneNode_stopsItsHeartbeatsAndEvents_whileTheOtherHearsOn_untilRestored() throws Exception {
        heartbeatsTo(a, 1);
        JsonNode cut = ok("POST", link(a, true));
        assertThat(cut.get("cut")).extracting(JsonNode::asText).containsExactly(a.url());
        JsonNode listed = ok("GET", "/v1/sim/links");
        assertThat(listed.get("cut")).extracting(JsonNode::asText).containsExactly(a.url());
        assertThat(listed.get("nodes")).extracting(JsonNode::asText).containsExactly(a.url(), b.url());

        // Heartbeats sent before the cut may still be on their way (each at most two per server, bounded by the
        // sender's timeout): b hears several seconds' worth before a is counted.
        heartbeatsTo(b, 80);
        int heardByA = a.heartbeats.get();
        ok("POST", "/v1/sim/servers/dl-2/fail?mode=hw-event");
        await().atMost(Patience.scaled(Duration.ofSeconds(30))).until(() -> b.events.get() == 1);
        heartbeatsTo(b, 40);
        assertThat(a.heartbeats.get()).as("heartbeats to the cut node").isEqualTo(heardByA);
        assertThat(a.events.get()).as("hardware events to the cut node").isZero();

        JsonNode restored = ok("POST", link(a, false));
        assertThat(restored.get("cut")).isEmpty();
        heartbeatsTo(a, 5);
    }

    @Test
    void links_unknownNodeOrBadCut_isRefusedNamingTheField() throws Exception {
        JsonNode unknown = refused("POST", "/v1/sim/links?node=" + URLEncoder.encode("http://127.0.0.1:1", StandardCharsets.UTF_8) + "&cut=true");
        assertThat(unknown.get("field").asText()).isEqualTo("node");
        assertThat(unknown.get("error").asText()).contains(a.url(), b.url(), "'http://127.0.0.1:1'");
        assertThat(refused("POST", "/v1/sim/links?cut=true").get("field").asText()).isEqualTo("node");
        JsonNode badCut = refused("POST", link(a, true).replace("cut=true", "cut=yes"));
        assertThat(badCut.get("field").asText()).isEqualTo("cut");
        assertThat(ok("GET", "/v1/sim/links").get("cut")).isEmpty();
    }
}
