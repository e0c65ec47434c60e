package io.understudy.drivers;

import io.understudy.drivers.fence.FenceAgentDriver;
import io.understudy.drivers.ipmi.IpmiDriver;
import io.understudy.drivers.redfish.RedfishDriver;
import io.understudy.model.config.DataCenterConfig;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The drivers of a configured data center: power by each server's BMC driver ({@code sim}, {@code redfish},
 * {@code ipmi}, {@code fence-agent}), identity and workload through the agents (the simulator for now).
 */
public final class DriverFactory {
    private DriverFactory() {}

    /** Drivers for a fixed configuration. */
    public static <S extends PowerDriver & IdentityDriver & WorkloadDriver> Drivers forConfig(DataCenterConfig config, S sim) {
        return forConfig(() -> config, sim);
    }

    /** Drivers that follow the configuration as it changes: a server's BMC driver is rebuilt when its settings do. */
    public static <S extends PowerDriver & IdentityDriver & WorkloadDriver> Drivers forConfig(Supplier<DataCenterConfig> config, S sim) {
        return new Drivers(Map.of(
                "sim", sim,
                "redfish", new BmcRouter("redfish", config, RedfishDriver::new),
                "ipmi", new BmcRouter("ipmi", config, IpmiDriver::new),
                "fence-agent", new BmcRouter("fence-agent", config, FenceAgentDriver::new)), sim, sim);
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
