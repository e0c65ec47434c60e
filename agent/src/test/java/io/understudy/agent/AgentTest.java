package io.understudy.agent;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.understudy.drivers.DriverException;
import io.understudy.drivers.WorkloadDriver;
import io.understudy.drivers.agent.AgentProtocol;
import io.understudy.model.config.Identity;
import io.understudy.model.config.ProfileSpec;
import io.understudy.testkit.DrivenScheduler;
import io.understudy.testkit.Patience;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The agent daemon against a control-plane node on a real socket (the JDK's HTTP server): heartbeats carry the
 * addresses the host holds; the node's reply names the self-fence timeout and the profiles on the server; once no
 * majority answers for longer than that, the agent fences itself — it stops those workloads and drops their identities.
 */
class AgentTest {
    static final ProfileSpec WEB = new ProfileSpec("web", "g", "a", new Identity("web", List.of("198.18.0.50/24"), List.of(), List.of()),
            null, null, null, null, null);

    final List<AgentProtocol.Heartbeat> heard = new CopyOnWriteArrayList<>();
    final AtomicBoolean answering = new AtomicBoolean(true);
    HttpServer node;
    Agent agent;

    /** A host that holds one alias and records what it is told to fence. */
    static final class FakeHost implements Host {
        final List<List<ProfileSpec>> fenced = new CopyOnWriteArrayList<>();

        @Override public void applyIdentity(ProfileSpec p) {}
        @Override public void releaseIdentity(ProfileSpec p) {}
        @Override public boolean holdsIdentity(ProfileSpec p) { return true; }
        @Override public void startWorkload(ProfileSpec p) {}
        @Override public void stopWorkload(ProfileSpec p) {}
        @Override public WorkloadDriver.Status monitorWorkload(ProfileSpec p) { return WorkloadDriver.Status.RUNNING; }
        volatile String health = "ok";
        @Override public Inventory inventory() { return new Inventory("NS1", 2, 4, health); }
        @Override public List<String> heldAddresses() { return List.of("198.18.0.11", "198.18.0.50"); }

        @Override
        public String fenceSelf(List<ProfileSpec> profiles) throws DriverException {
            fenced.add(profiles);
            return "fenced";
        }
    }

    @AfterEach
    void stop() {
        if (agent != null) agent.close();
        if (node != null) node.stop(0);
    }

    @Test
    void heartbeatsCarryTheHeldAddresses_andAnAgentCutOffFromTheControlPlaneFencesItsProfiles() throws Exception {
        startNode(new AgentProtocol.HeartbeatReply(2000L, List.of(WEB)));
        DrivenScheduler clock = new DrivenScheduler();
        FakeHost host = new FakeHost();
        agent = new Agent(new Agent.Settings("a", "127.0.0.1", 0, List.of(URI.create("http://127.0.0.1:" + node.getAddress().getPort())),
                "secret", Duration.ofMillis(200)), host, clock, Clock.systemUTC());

        // Beats go out on the driven clock; replies come back on real sockets.
        awaitReal(() -> !heard.isEmpty());
        assertThat(heard.get(0).addresses()).containsExactly("198.18.0.11", "198.18.0.50");
        // 5 s of answered beats, each answer in before the next beat: no fence.
        for (int i = 0; i < 25; i++) {
            int n = heard.size();
            clock.advance(Duration.ofMillis(200));
            awaitReal(() -> heard.size() > n);
            Thread.sleep(20);
        }
        assertThat(host.fenced).as("beats are answered: no fence").isEmpty();

        answering.set(false);
        int before = heard.size();
        for (int i = 0; i < 15; i++) {
            clock.advance(Duration.ofMillis(200));
            awaitReal(() -> heard.size() > before);
        }
        awaitReal(() -> !host.fenced.isEmpty());
        assertThat(agent.selfFenced()).isTrue();
        assertThat(host.fenced.get(0)).containsExactly(WEB);
    }

    /** Found with a degraded system: the agent read its health once at start and reported it for ever. */
    @Test
    void healthWasReadOnceAtStart() throws Exception {
        startNode(new AgentProtocol.HeartbeatReply(null, List.of()));
        DrivenScheduler clock = new DrivenScheduler();
        FakeHost host = new FakeHost();
        agent = new Agent(new Agent.Settings("a", "127.0.0.1", 0, List.of(URI.create("http://127.0.0.1:" + node.getAddress().getPort())),
                "secret", Duration.ofSeconds(1)), host, clock, Clock.systemUTC());
        awaitReal(() -> !heard.isEmpty());
        assertThat(heard.get(0).inventory().health()).isEqualTo("ok");

        host.health = "warning";
        clock.advance(Agent.INVENTORY_EVERY);
        // Beats go out one at a time (one still in flight makes the next be dropped): beat on until one tells,
        // within a bound generous enough for a busy machine.
        long giveUp = System.nanoTime() + Patience.scaled(Duration.ofSeconds(60)).toNanos();
        while (heard.stream().noneMatch(h -> h.inventory().health().equals("warning")) && System.nanoTime() < giveUp) {
            clock.advance(Duration.ofSeconds(1));
            Thread.sleep(20);   // a poll interval; the bound above is what a slow machine stretches
        }
        assertThat(heard).anySatisfy(h -> assertThat(h.inventory().health()).isEqualTo("warning"));
    }

    /** A control-plane node that records every heartbeat and answers with {@code reply} while {@link #answering}. */
    private void startNode(AgentProtocol.HeartbeatReply reply) throws java.io.IOException {
        node = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 16);
        node.createContext(AgentProtocol.HEARTBEAT_PATH, ex -> {
            heard.add(AgentProtocol.read(ex.getRequestBody().readAllBytes(), AgentProtocol.Heartbeat.class));
            if (!answering.get()) {
                ex.sendResponseHeaders(503, -1);
                ex.close();
                return;
            }
            byte[] body = AgentProtocol.bytes(reply);
            ex.sendResponseHeaders(200, body.length);
            ex.getResponseBody().write(body);
            ex.close();
        });
        node.start();
    }

    /** Waits as long as the machine's load says (the first heartbeat missed 10 s flat at a load of 12 on 2 cores). */
    static void awaitReal(BooleanSupplier condition) throws InterruptedException {
        Duration limit = Patience.scaled(Duration.ofSeconds(10));
        long deadline = System.nanoTime() + limit.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) throw new AssertionError("not within " + limit.toMillis() + " ms");
            Thread.sleep(10);
        }
    }
}
