package io.understudy.agent;

import io.understudy.drivers.DriverException;
import io.understudy.drivers.agent.AgentProtocol;
import io.understudy.model.config.ProfileSpec;
import io.understudy.model.time.Scheduler;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The agent daemon on one server: takes the control plane's signed orders on its port and carries them out through
 * its {@link Host} (and its {@link DataKeeper}, when it keeps data), and heartbeats with its inventory and the
 * addresses it holds to every control-plane node at its group's interval. When the group sets a self-fence timeout
 * (nodes say so in their replies), an agent that no majority of the nodes has answered for that long stops the
 * workloads the control plane last said it runs here and drops their identities.
 */
public final class Agent implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Agent.class);
    /** Listing the interface's addresses costs a process: not more often than this, whatever the heartbeat. */
    static final Duration ADDRESSES_EVERY = Duration.ofSeconds(1);
    /** How often the inventory (health above all) is read again for the heartbeats. */
    static final Duration INVENTORY_EVERY = Duration.ofSeconds(10);

    /**
     * @param server this server's id in the data center
     * @param nodes every control-plane node's API URL
     * @param heartbeatInterval as the server's group asks (down to 100 ms)
     */
    public record Settings(String server, String bind, int port, List<URI> nodes, String secret, Duration heartbeatInterval) {}

    private final Settings settings;
    private final Host host;
    private final Scheduler scheduler;
    private final AgentServer orders;
    private final Scheduler.Cancellable beating;
    private final HeartbeatSender sender;
    private final SelfFence selfFence;
    private volatile AgentProtocol.Inventory inventory;
    private volatile long inventoryAt;
    private volatile List<ProfileSpec> profilesHere = List.of();
    private volatile List<String> addresses;
    private volatile Long addressesAt;

    public Agent(Settings s, Host host, Scheduler scheduler, Clock clock) {
        this(s, host, null, scheduler, clock);
    }

    /** @param data keeps backups of profiles' data; null where this agent keeps none */
    public Agent(Settings s, Host host, DataKeeper data, Scheduler scheduler, Clock clock) {
        this.settings = s;
        this.host = host;
        this.scheduler = scheduler;
        // After an identity order the next heartbeat lists the addresses again: a list up to ADDRESSES_EVERY old still
        // showed a released alias after the move ended, and the control plane took it for a split brain.
        HostDrivers drivers = new HostDrivers(s.server(), host, () -> addressesAt = null);
        orders = new AgentServer(Map.of(s.server(), s.secret()), drivers, drivers, data, clock).start(s.bind(), s.port());
        selfFence = new SelfFence(s.nodes().size(), scheduler, this::fenceSelf);
        sender = new HeartbeatSender(s.nodes(), clock.millis(), this::replied);
        inventory = readInventory();
        inventoryAt = scheduler.now().toEpochMilli();
        beat();
        beating = scheduler.every(s.heartbeatInterval(), this::beat);
    }

    private void beat() {
        // Sent at the scheduler's time: self-fencing measures silence on the same clock.
        sender.heartbeat(settings.server(), settings.secret(), inventory(), addresses(), scheduler.now().toEpochMilli());
    }

    /** Health changes (a unit failing, the system degraded): read again now and then, not only at start. */
    private AgentProtocol.Inventory inventory() {
        long now = scheduler.now().toEpochMilli();
        if (now - inventoryAt >= INVENTORY_EVERY.toMillis()) {
            inventoryAt = now;
            inventory = readInventory();
        }
        return inventory;
    }

    private AgentProtocol.Inventory readInventory() {
        Host.Inventory i = host.inventory();
        return new AgentProtocol.Inventory(i.model(), i.cores(), i.memoryGib(), i.health());
    }

    private List<String> addresses() {
        long now = scheduler.now().toEpochMilli();
        if (addressesAt == null || now - addressesAt >= ADDRESSES_EVERY.toMillis()) {
            addressesAt = now;
            try {
                addresses = host.heldAddresses();
            } catch (DriverException e) {
                log.warn("cannot list the addresses this server holds: {}", e.getMessage());
            }
        }
        return addresses;
    }

    private void replied(int node, long sentAt, AgentProtocol.HeartbeatReply reply) {
        selfFence.acked(node, sentAt);
        selfFence.timeout(reply.selfFenceAfterMs() == null ? null : Duration.ofMillis(reply.selfFenceAfterMs()));
        if (reply.profiles() != null) profilesHere = List.copyOf(reply.profiles());
    }

    /** Off the scheduler's thread: stopping a workload may take its whole timeout, and heartbeats must go on. */
    private void fenceSelf(String why) {
        List<ProfileSpec> profiles = profilesHere;
        log.warn("fencing myself: {}; stopping and dropping {}", why, profiles.stream().map(ProfileSpec::id).toList());
        Thread t = new Thread(() -> {
            try {
                log.warn("self-fence done: {}", host.fenceSelf(profiles));
            } catch (DriverException e) {
                log.error("self-fence incomplete: {}", e.getMessage());
            }
        }, "self-fence");
        t.setDaemon(true);
        t.start();
    }

    public int port() {
        return orders.port();
    }

    /** Whether this agent has fenced itself since it last had a majority of the control plane. */
    public boolean selfFenced() {
        return selfFence.fenced();
    }

    /** Orders dropped by reason (bad signature, stale, replayed, older term…). */
    public Map<String, Long> rejected() {
        return orders.rejectedCounts();
    }

    @Override
    public void close() {
        beating.cancel();
        selfFence.close();
        orders.close();
    }
}
