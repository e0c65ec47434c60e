package io.understudy.agent;

import io.understudy.drivers.agent.AgentProtocol;
import io.understudy.model.time.Scheduler;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The agent daemon on one server: takes the control plane's signed orders on its port and carries them out through
 * its {@link Host}, and heartbeats with its inventory to every control-plane node at its group's interval.
 */
public final class Agent implements AutoCloseable {

    /**
     * @param server this server's id in the data center
     * @param nodes every control-plane node's API URL
     * @param heartbeatInterval as the server's group asks (down to 100 ms)
     */
    public record Settings(String server, String bind, int port, List<URI> nodes, String secret, Duration heartbeatInterval) {}

    private final AgentServer orders;
    private final Scheduler.Cancellable beating;
    private final HeartbeatSender sender;

    public Agent(Settings s, Host host, Scheduler scheduler, Clock clock) {
        HostDrivers drivers = new HostDrivers(s.server(), host);
        orders = new AgentServer(Map.of(s.server(), s.secret()), drivers, drivers, clock).start(s.bind(), s.port());
        sender = new HeartbeatSender(s.nodes(), clock.millis());
        Host.Inventory i = host.inventory();
        AgentProtocol.Inventory inventory = new AgentProtocol.Inventory(i.model(), i.cores(), i.memoryGib(), i.health());
        sender.heartbeat(s.server(), s.secret(), inventory);
        beating = scheduler.every(s.heartbeatInterval(), () -> sender.heartbeat(s.server(), s.secret(), inventory));
    }

    public int port() {
        return orders.port();
    }

    /** Orders dropped by reason (bad signature, stale, replayed, older term…). */
    public Map<String, Long> rejected() {
        return orders.rejectedCounts();
    }

    @Override
    public void close() {
        beating.cancel();
        orders.close();
    }
}
