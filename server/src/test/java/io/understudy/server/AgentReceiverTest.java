package io.understudy.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.javalin.Javalin;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.understudy.drivers.AgentListener;
import io.understudy.drivers.agent.AgentProtocol;
import io.understudy.drivers.agent.AgentProtocol.Heartbeat;
import io.understudy.drivers.agent.AgentProtocol.Inventory;
import io.understudy.drivers.agent.AgentSecrets;
import io.understudy.drivers.agent.Signer;
import io.understudy.model.config.DataCenterConfig;
import io.understudy.sim.DemoDataCenter;
import io.understudy.testkit.DrivenScheduler;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A node's intake of agents' reports: only signed, fresh messages reach the detector; the rest are counted by reason.
 * Heartbeats travel concurrently, so one that arrives after a newer one still counts — once.
 */
class AgentReceiverTest {
    static final String SECRET = "s3cret";
    final List<String> heard = new ArrayList<>();
    final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    Javalin app;
    AgentReceiver receiver;

    @BeforeEach
    void start() {
        DataCenterConfig config = AgentProtocolTest.withAgents(DemoDataCenter.build(), "http://127.0.0.1:1", "AGENT_SECRET");
        AgentListener detector = new AgentListener() {
            @Override
            public void heartbeat(String server, Instant at) {
                heard.add("heartbeat " + server);
            }

            @Override
            public void hardwareEvent(String server, String text, Instant at) {
                heard.add("event " + server + ": " + text);
            }
        };
        receiver = new AgentReceiver(() -> config, new AgentSecrets(Map.of("AGENT_SECRET", SECRET)), detector,
                new DrivenScheduler(Instant.parse("2026-01-01T00:00:00Z")), registry);
        app = Javalin.create(cfg -> cfg.showJavalinBanner = false);
        receiver.register(app);
        app.start("127.0.0.1", 0);
    }

    @AfterEach
    void stop() {
        app.stop();
    }

    @Test
    void signedHeartbeats_reachTheDetector_eachOnce_evenOutOfOrder() throws Exception {
        Inventory inv = new Inventory("DL360", 32, 256, "ok");
        assertThat(post(AgentProtocol.HEARTBEAT_PATH, new Heartbeat("dl-1", 100, 2, inv), SECRET)).isEqualTo(200);
        assertThat(post(AgentProtocol.HEARTBEAT_PATH, new Heartbeat("dl-1", 100, 1, inv), SECRET)).as("late, but new").isEqualTo(200);
        assertThat(post(AgentProtocol.HEARTBEAT_PATH, new Heartbeat("dl-1", 100, 2, inv), SECRET)).as("a repeat").isEqualTo(409);
        assertThat(post(AgentProtocol.HEARTBEAT_PATH, new Heartbeat("dl-1", 99, 50, inv), SECRET)).as("an older run").isEqualTo(409);
        assertThat(post(AgentProtocol.HEARTBEAT_PATH, new Heartbeat("dl-1", 101, 1, inv), SECRET)).as("the agent restarted").isEqualTo(200);
        assertThat(heard).containsExactly("heartbeat dl-1", "heartbeat dl-1", "heartbeat dl-1");
        assertThat(receiver.inventory("dl-1")).contains(inv);
        assertThat(count("accepted")).isEqualTo(3);
        assertThat(count("replayed")).isEqualTo(2);
    }

    @Test
    void aForgedHeartbeat_orOneForAnUnknownServer_isDroppedAndCounted() throws Exception {
        assertThat(post(AgentProtocol.HEARTBEAT_PATH, new Heartbeat("dl-1", 1, 1, null), "not-the-secret")).isEqualTo(401);
        assertThat(post(AgentProtocol.HEARTBEAT_PATH, new Heartbeat("nope", 1, 1, null), SECRET)).isEqualTo(404);
        assertThat(post(AgentProtocol.EVENT_PATH, new AgentProtocol.HardwareReport("dl-2", 1, 1, "CPU IERR"), "x")).isEqualTo(401);
        assertThat(heard).isEmpty();
        assertThat(count("bad-signature")).isEqualTo(2);
        assertThat(count("unknown-server")).isEqualTo(1);
    }

    @Test
    void aSignedHardwareEvent_reachesTheDetector() throws Exception {
        assertThat(post(AgentProtocol.EVENT_PATH, new AgentProtocol.HardwareReport("dl-2", 1, 1, "uncorrectable memory error"), SECRET)).isEqualTo(200);
        assertThat(heard).containsExactly("event dl-2: uncorrectable memory error");
    }

    private double count(String result) {
        var c = registry.find("understudy_agent_messages").tag("result", result).counter();
        return c == null ? 0 : c.count();
    }

    private int post(String path, Object message, String secret) throws Exception {
        byte[] body = AgentProtocol.bytes(message);
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + app.port() + path))
                .header(AgentProtocol.SIGNATURE_HEADER, Signer.sign(secret, body))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.discarding()).statusCode();
    }
}
