package io.understudy.server;

import io.understudy.agent.AgentServer;
import io.understudy.drivers.AgentListener;
import io.understudy.drivers.DriverException;
import io.understudy.drivers.agent.AgentProtocol.Inventory;
import io.understudy.drivers.agent.AgentSecrets;
import io.understudy.model.config.DataCenterConfig;
import io.understudy.model.config.ServerSpec;
import io.understudy.sim.SimDataCenter;
import io.understudy.sim.SimTimings;
import io.understudy.sim.redfish.RedfishService;
import io.understudy.sim.redfish.SelfSignedCertificate;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A simulated data center served to control-plane nodes over the network, the way real hardware is: every server's
 * BMC speaks Redfish (on the same address as the agents) (HTTPS, a self-signed certificate the nodes trust through its PEM file), every server's agent
 * speaks the agent protocol (signed orders in, signed heartbeats and hardware events out to every node). It lets
 * several server processes share one data center, as a Raft group of nodes does in production. Beside the agents it
 * serves its own endpoints ({@link SimulatorApi}): fault injection, the hardware's history, links to cut.
 */
public final class SimulatorProcess implements AutoCloseable {

    /**
     * @param tlsDir where the BMCs' certificate is made; {@code tlsDir/bmc.pem} is the trust store the configuration names
     * @param bmcPasswordFile the Redfish password of user {@code admin} on every simulated BMC
     */
    public record Settings(DataCenterConfig config, List<URI> nodes, String bind, int agentPort, int redfishPort, Path tlsDir,
                           Path bmcPasswordFile, double speed, SimTimings timings) {}

    private final ScaledScheduler scheduler;
    private final SimDataCenter sim;
    private final RedfishService redfish;
    private final AgentServer agents;
    private final NodeLinks links;

    public SimulatorProcess(Settings s) throws IOException, DriverException {
        Files.createDirectories(s.tlsDir());
        SelfSignedCertificate cert = SelfSignedCertificate.create(s.tlsDir(), "understudy-sim-bmc", s.bind());
        scheduler = new ScaledScheduler(s.speed(), Instant.now());
        // Served through networked agents, whose identities the control plane takes to lapse with power.
        sim = new SimDataCenter(s.config(), scheduler, s.timings()).identitiesLapseWhenOff();
        AgentSecrets secrets = AgentSecrets.fromEnvironment();
        Map<String, String> secretByServer = new HashMap<>();
        for (ServerSpec server : s.config().servers()) {
            if (server.agent() != null) secretByServer.put(server.id(), secrets.secret(server.id(), server.agent()));
        }
        links = new NodeLinks(s.nodes(), System.currentTimeMillis());
        sim.addListener(new AgentListener() {
            @Override
            public void heartbeat(String server, Instant at) {
                String secret = secretByServer.get(server);
                if (secret != null) links.heartbeat(server, secret, inventoryOf(server), sim.heldAddresses(server));
            }

            @Override
            public void hardwareEvent(String server, String text, Instant at) {
                String secret = secretByServer.get(server);
                if (secret != null) links.hardwareEvent(server, secret, text);
            }
        });
        redfish = new RedfishService(s.config(), sim, scheduler, Map.of("admin", Files.readString(s.bmcPasswordFile()).strip()))
                .start(s.bind(), s.redfishPort(), cert);
        agents = new AgentServer(secretByServer, sim, sim, Clock.systemUTC())
                .start(s.bind(), s.agentPort(), new SimulatorApi(sim, links)::register);
        sim.start();
    }

    /** What the simulated agent reports: its configuration unless fault injection made it report otherwise. */
    private Inventory inventoryOf(String server) {
        io.understudy.model.Resources r = sim.reported(server);
        return new Inventory(r.model(), r.cores(), r.memoryGib(), "ok");
    }

    public int agentPort() {
        return agents.port();
    }

    public int redfishPort() {
        return redfish.port();
    }

    public SimDataCenter sim() {
        return sim;
    }

    @Override
    public void close() {
        sim.stop();
        agents.close();
        redfish.close();
        scheduler.close();
    }
}
