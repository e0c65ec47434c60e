package io.understudy.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.understudy.agent.AgentServer;
import io.understudy.drivers.CallContext;
import io.understudy.drivers.DriverException;
import io.understudy.drivers.WorkloadDriver;
import io.understudy.drivers.agent.AgentProtocol;
import io.understudy.drivers.agent.AgentSecrets;
import io.understudy.drivers.agent.RemoteAgentDriver;
import io.understudy.drivers.agent.Signer;
import io.understudy.model.config.AgentSpec;
import io.understudy.model.config.DataCenterConfig;
import io.understudy.model.config.ProfileSpec;
import io.understudy.model.config.ServerSpec;
import io.understudy.sim.DemoDataCenter;
import io.understudy.sim.SimDataCenter;
import io.understudy.sim.SimTimings;
import io.understudy.testkit.DrivenScheduler;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The control plane's agent driver against a real agent server over HTTP, with the simulator carrying out the
 * orders: signed orders are obeyed; a wrong signature, a replayed or stale order, or an older term is refused and
 * counted, and nothing is done.
 */
class AgentProtocolTest {
    static final String SECRET = "agent-secret-" + UUID.randomUUID();
    final Instant t0 = Instant.parse("2026-01-01T00:00:00Z");
    DrivenScheduler clock;
    SimDataCenter sim;
    AgentServer agents;
    DataCenterConfig config;
    RemoteAgentDriver driver;
    ProfileSpec web1;

    @BeforeEach
    void start() {
        DataCenterConfig demo = DemoDataCenter.build();
        clock = new DrivenScheduler(t0);
        sim = new SimDataCenter(demo, clock, SimTimings.FAST);
        sim.start();
        clock.advance(Duration.ofSeconds(5));
        agents = new AgentServer(demo.servers().stream().collect(Collectors.toMap(ServerSpec::id, s -> SECRET)), sim, sim,
                Clock.fixed(Instant.now(), ZoneOffset.UTC)).start("127.0.0.1", 0);
        config = withAgents(demo, "http://127.0.0.1:" + agents.port(), "AGENT_SECRET");
        driver = new RemoteAgentDriver(() -> config, new AgentSecrets(Map.of("AGENT_SECRET", SECRET)), Clock.systemUTC(), Duration.ofSeconds(5));
        web1 = config.profile("web-1").orElseThrow();
    }

    @AfterEach
    void stop() {
        agents.close();
        sim.stop();
    }

    static DataCenterConfig withAgents(DataCenterConfig c, String endpoint, String env) {
        return new DataCenterConfig(c.name(), c.enclosures(), c.servers().stream().map(s -> new ServerSpec(s.id(), s.location(),
                s.hostname(), s.address(), s.model(), s.generation(), s.cores(), s.memoryGib(), s.bmc(),
                new AgentSpec(endpoint, env, null))).toList(), c.groups(), c.profiles());
    }

    @Test
    void signedOrders_moveIdentityAndWorkload_throughTheAgent() throws Exception {
        CallContext ctx = new CallContext(3, 1L, "move-profile");
        driver.release("dl-1", web1, ctx);
        driver.stop("dl-1", web1, ctx);
        assertThat(driver.holds("dl-1", web1, ctx)).isFalse();
        driver.assign("dl-s1", web1, ctx);
        driver.start("dl-s1", web1, ctx);
        clock.advance(Duration.ofSeconds(5));
        assertThat(driver.holds("dl-s1", web1, ctx)).isTrue();
        assertThat(driver.monitor("dl-s1", web1, ctx)).isEqualTo(WorkloadDriver.Status.RUNNING);
        assertThat(sim.holders("web-1")).containsExactly("dl-s1");
        // Idempotent: the same order again (a new leader repeating an in-flight step) changes nothing.
        driver.assign("dl-s1", web1, ctx);
        assertThat(sim.holders("web-1")).containsExactly("dl-s1");
        assertThat(agents.rejectedCounts()).isEmpty();
    }

    @Test
    void anOrderFromAnOlderTerm_isRefused_andChangesNothing() throws Exception {
        driver.release("dl-1", web1, new CallContext(5, 1L, "fence"));
        assertThatThrownBy(() -> driver.assign("dl-1", web1, new CallContext(4, 1L, "move-profile")))
                .isInstanceOf(DriverException.class)
                .hasMessageContaining("refused").hasMessageContaining("term 4").hasMessageContaining("term 5 seen")
                .extracting(e -> ((DriverException) e).kind()).isEqualTo(DriverException.Kind.REFUSED);
        assertThat(sim.holders("web-1")).isEmpty();
        assertThat(agents.rejectedCounts()).containsEntry("term", 1L);
    }

    @Test
    void aWrongSecret_isAnAuthError_andNothingIsDone() {
        RemoteAgentDriver impostor = new RemoteAgentDriver(() -> config, new AgentSecrets(Map.of("AGENT_SECRET", "guess")),
                Clock.systemUTC(), Duration.ofSeconds(5));
        assertThatThrownBy(() -> impostor.release("dl-1", web1, new CallContext(9, null, "probe")))
                .isInstanceOf(DriverException.class).hasMessageContaining("valid signature")
                .extracting(e -> ((DriverException) e).kind()).isEqualTo(DriverException.Kind.AUTH);
        assertThat(sim.holders("web-1")).containsExactly("dl-1");
        assertThat(agents.rejectedCounts()).containsEntry("signature", 1L);
    }

    @Test
    void aReplayedOrder_andAStaleOne_areDropped() throws Exception {
        byte[] body = AgentProtocol.bytes(new AgentProtocol.Order("dl-1", 1, 1L, "fence", web1, "n-1", Instant.now().toEpochMilli()));
        assertThat(post("dl-1", body, Signer.sign(SECRET, body)).statusCode()).isEqualTo(200);
        var again = post("dl-1", body, Signer.sign(SECRET, body));
        assertThat(again.statusCode()).isEqualTo(409);
        assertThat(again.body()).contains("already received");
        byte[] old = AgentProtocol.bytes(new AgentProtocol.Order("dl-1", 1, 1L, "fence", web1, "n-2",
                Instant.now().minus(Duration.ofMinutes(5)).toEpochMilli()));
        var stale = post("dl-1", old, Signer.sign(SECRET, old));
        assertThat(stale.statusCode()).isEqualTo(409);
        assertThat(stale.body()).contains("outside the 30 s window");
        assertThat(agents.rejectedCounts()).containsEntry("replayed", 1L).containsEntry("stale", 1L);
    }

    @Test
    void anUnreachableAgent_isUnreachable() {
        agents.close();
        assertThatThrownBy(() -> driver.holds("dl-1", web1, new CallContext(1, null, "probe")))
                .isInstanceOf(DriverException.class)
                .extracting(e -> ((DriverException) e).kind()).isEqualTo(DriverException.Kind.UNREACHABLE);
    }

    private HttpResponse<String> post(String server, byte[] body, String signature) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + agents.port()
                        + AgentProtocol.orderPath(server, AgentProtocol.Action.RELEASE)))
                .header(AgentProtocol.SIGNATURE_HEADER, signature).POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
