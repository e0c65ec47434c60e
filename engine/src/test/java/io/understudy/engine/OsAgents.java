package io.understudy.engine;

import io.understudy.drivers.CallContext;
import io.understudy.drivers.DriverException;
import io.understudy.drivers.IdentityDriver;
import io.understudy.model.config.ProfileSpec;
import io.understudy.sim.SimDataCenter;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The simulator's identity as real agents give it, for the servers named: it lives in the running OS, so there is no
 * bay to set it at, and an order to a server that is off or still booting meets a refused connection, as a real
 * agent's does. The other servers keep the simulator's bays.
 */
final class OsAgents implements IdentityDriver {
    private final SimDataCenter sim;
    private final Set<String> servers;
    /** Every identity order that reached a server whose agent was not running: "server: state". */
    final List<String> refused = new CopyOnWriteArrayList<>();

    OsAgents(SimDataCenter sim, Set<String> servers) {
        this.sim = sim;
        this.servers = Set.copyOf(servers);
    }

    private void agentUp(String server) throws DriverException {
        if (!servers.contains(server)) return;
        String state = sim.view(server).state();
        if (!state.equals("running")) {
            refused.add(server + ": " + state);
            throw new DriverException(DriverException.Kind.UNREACHABLE, "agent of " + server + ": connection refused (" + state + ")");
        }
    }

    @Override
    public void assign(String server, ProfileSpec profile, CallContext ctx) throws DriverException {
        agentUp(server);
        sim.assign(server, profile, ctx);
    }

    @Override
    public void release(String server, ProfileSpec profile, CallContext ctx) throws DriverException {
        agentUp(server);
        sim.release(server, profile, ctx);
    }

    @Override
    public boolean holds(String server, ProfileSpec profile, CallContext ctx) throws DriverException {
        agentUp(server);
        return sim.holds(server, profile, ctx);
    }

    @Override
    public boolean lapsesWhenOff(String server) {
        return servers.contains(server);
    }
}
