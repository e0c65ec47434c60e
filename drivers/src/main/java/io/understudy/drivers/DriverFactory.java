package io.understudy.drivers;

import io.understudy.drivers.agent.AgentRouter;
import io.understudy.drivers.agent.AgentSecrets;
import io.understudy.drivers.agent.RemoteAgentDriver;
import io.understudy.drivers.fence.FenceAgentDriver;
import io.understudy.drivers.ipmi.IpmiDriver;
import io.understudy.drivers.redfish.RedfishDriver;
import io.understudy.model.config.DataCenterConfig;
import io.understudy.model.config.ProfileSpec;
import io.understudy.model.config.ServerSpec;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The drivers of a configured data center: power by each server's BMC driver ({@code sim}, {@code redfish},
 * {@code ipmi}, {@code fence-agent}), identity and workload through the agents (remote or simulated).
 */
public final class DriverFactory {
    private DriverFactory() {}

    /**
     * What of a server the simulator plays: its BMC where the operator named the {@code sim} driver, its agent where
     * that server has no agent and either its BMC is the simulator's too or a lab asked for stand-ins
     * ({@code --simulate-missing-agents}). Invariant 8: nothing else, ever.
     */
    public record Simulated(boolean bmc, boolean agent) {
        public boolean any() {
            return bmc || agent;
        }
    }

    public static Simulated simulated(ServerSpec s, boolean simulateMissingAgents) {
        boolean bmc = "sim".equals(s.bmc().driver());
        return new Simulated(bmc, s.agent() == null && (bmc || simulateMissingAgents));
    }

    /** Drivers for a fixed configuration. */
    public static <S extends PowerDriver & IdentityDriver & WorkloadDriver & DataDriver> Drivers forConfig(DataCenterConfig config, S sim) {
        return forConfig(() -> config, sim);
    }

    /**
     * Drivers that follow the configuration as it changes: a server's BMC driver is rebuilt when its settings do;
     * identity and workload go to the server's agent when it has an endpoint, else to the simulator — only for a
     * server whose BMC is the simulator's too.
     *
     * @param sim the embedded simulator, or null on a node whose servers all have real BMCs and agents
     */
    public static <S extends PowerDriver & IdentityDriver & WorkloadDriver & DataDriver> Drivers forConfig(Supplier<DataCenterConfig> config, S sim) {
        return forConfig(config, sim, false);
    }

    /**
     * Drivers for a lab: as {@code forConfig}, and the simulator also stands in for the agent of
     * a real-BMC server configured without one (the operator asked for it; such a server's crash is never seen).
     */
    public static <S extends PowerDriver & IdentityDriver & WorkloadDriver & DataDriver> Drivers forLab(Supplier<DataCenterConfig> config, S sim) {
        return forConfig(config, sim, true);
    }

    public static <S extends PowerDriver & IdentityDriver & WorkloadDriver & DataDriver> Drivers forConfig(Supplier<DataCenterConfig> config,
            S sim, boolean simulateMissingAgents) {
        Map<String, PowerDriver> power = new HashMap<>(Map.of(
                "redfish", new BmcRouter("redfish", config, RedfishDriver::new),
                "ipmi", new BmcRouter("ipmi", config, IpmiDriver::new),
                "fence-agent", new BmcRouter("fence-agent", config, FenceAgentDriver::new)));
        if (sim != null) power.put("sim", sim);
        AgentRouter agents = new AgentRouter(config, new RemoteAgentDriver(config, AgentSecrets.fromEnvironment(),
                Clock.systemUTC(), RemoteAgentDriver.DEFAULT_TIMEOUT), sim == null ? null : new SimStandIn(config, simulateMissingAgents, sim));
        FrontPairDriver front = new FrontPairDriver(config);
        SimPair simPair = sim == null ? null : new SimPair(agents, agents);
        PairDriver pair = new PairDriver() {
            /** A server with an agent runs a real member, asked at its front; the simulator's stand in for the rest. */
            private PairDriver of(String server) {
                boolean real = config.get().server(server).map(s -> s.agent() != null).orElse(false);
                return real || simPair == null ? front : simPair;
            }

            @Override
            public PairStatus status(String server, ProfileSpec profile, CallContext ctx) throws DriverException {
                return of(server).status(server, profile, ctx);
            }

            @Override
            public void resync(String server, ProfileSpec profile, CallContext ctx) throws DriverException {
                of(server).resync(server, profile, ctx);
            }
        };
        return new Drivers(power, agents, agents, agents).withPair(pair);
    }

    /** The power driver of one server, for {@code understudy bmc check} and tools that act on a single BMC. */
    public static PowerDriver power(DataCenterConfig config, String server, PowerDriver sim) throws DriverException {
        var spec = config.server(server).orElseThrow(() -> new DriverException(DriverException.Kind.FAILED, "no server '" + server + "' in the configuration"));
        return switch (spec.bmc().driver()) {
            case "sim" -> sim;
            case "redfish" -> new RedfishDriver(spec.bmc());
            case "ipmi" -> new IpmiDriver(spec.bmc());
            case "fence-agent" -> new FenceAgentDriver(spec.bmc());
            default -> throw new DriverException(DriverException.Kind.FAILED, "unknown BMC driver '" + spec.bmc().driver() + "' for " + server);
        };
    }
}
