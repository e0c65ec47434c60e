package io.understudy.server;

import io.understudy.drivers.AgentListener;
import io.understudy.drivers.DriverFactory;
import io.understudy.model.config.DataCenterConfig;
import java.time.Instant;
import java.util.List;
import java.util.function.Supplier;

/**
 * Passes on what the simulator reports only for what it plays (invariant 8): its heartbeats for servers whose agent
 * it is, its hardware events for servers whose BMC it is. The simulator builds every configured server, so without
 * this filter a real server's silence would be covered by a simulated agent that never stops beating.
 */
final class SimulatedOnly implements AgentListener {
    private final AgentListener to;
    private final Supplier<DataCenterConfig> config;
    private final boolean simulateMissingAgents;

    SimulatedOnly(AgentListener to, Supplier<DataCenterConfig> config, boolean simulateMissingAgents) {
        this.to = to;
        this.config = config;
        this.simulateMissingAgents = simulateMissingAgents;
    }

    /** What the simulator plays, per server, for the configuration last seen (rebuilt when it changes). */
    private volatile java.util.Map.Entry<DataCenterConfig, java.util.Map<String, DriverFactory.Simulated>> plays;

    private DriverFactory.Simulated simulated(String server) {
        // Looked up per heartbeat: a scan of the configuration's server list for each one cost the 1,000-server demo
        // most of a core (every simulated agent beats every heartbeat interval).
        DataCenterConfig now = config.get();
        var p = plays;
        if (p == null || p.getKey() != now) {
            java.util.Map<String, DriverFactory.Simulated> m = new java.util.HashMap<>();
            for (var s : now.servers()) m.put(s.id(), DriverFactory.simulated(s, simulateMissingAgents));
            p = java.util.Map.entry(now, m);
            plays = p;
        }
        return p.getValue().getOrDefault(server, new DriverFactory.Simulated(false, false));
    }

    @Override
    public void heartbeat(String server, Instant at) {
        if (simulated(server).agent()) to.heartbeat(server, at);
    }

    @Override
    public void hardwareEvent(String server, String text, Instant at) {
        if (simulated(server).bmc()) to.hardwareEvent(server, text, at);
    }

    @Override
    public void addresses(String server, List<String> held, Instant at) {
        if (simulated(server).agent()) to.addresses(server, held, at);
    }

    @Override
    public void inventory(String server, io.understudy.model.Resources reported, Instant at) {
        if (simulated(server).agent()) to.inventory(server, reported, at);
    }
}
