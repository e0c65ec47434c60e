package io.understudy.drivers;

import io.understudy.model.config.ServerSpec;
import java.util.Map;

/** The drivers chosen for each server: power by the server's BMC driver name; identity and workload via agents. */
public final class Drivers {
    private final Map<String, PowerDriver> powerByName;
    private final IdentityDriver identity;
    private final WorkloadDriver workload;
    private final DataDriver data;
    private FabricDrivers fabric = FabricDrivers.NONE;
    private PairDriver pair = PairDriver.NONE;

    public Drivers(Map<String, PowerDriver> powerByName, IdentityDriver identity, WorkloadDriver workload, DataDriver data) {
        this.powerByName = Map.copyOf(powerByName);
        this.identity = identity;
        this.workload = workload;
        this.data = data;
    }

    public Drivers(Map<String, PowerDriver> powerByName, IdentityDriver identity, WorkloadDriver workload) {
        this(powerByName, identity, workload, null);
    }

    public PowerDriver power(ServerSpec server) throws DriverException {
        PowerDriver d = powerByName.get(server.bmc().driver());
        if (d == null) {
            throw new DriverException(DriverException.Kind.FAILED, "no power driver '" + server.bmc().driver()
                    + "' for " + server.id() + " (available: " + powerByName.keySet() + ")");
        }
        return d;
    }

    public IdentityDriver identity() {
        return identity;
    }

    public WorkloadDriver workload() {
        return workload;
    }

    /** With the enclosures' fabric drivers (none by default). */
    public Drivers withFabric(FabricDrivers f) {
        return copy(f, pair);
    }

    /** With the driver that asks lockstep pairs' members their status (none by default). */
    public Drivers withPair(PairDriver p) {
        return copy(fabric, p);
    }

    private Drivers copy(FabricDrivers f, PairDriver p) {
        Drivers d = new Drivers(powerByName, identity, workload, data);
        d.fabric = f;
        d.pair = p;
        return d;
    }

    /** Lockstep pairs' members, asked for their status. */
    public PairDriver pair() {
        return pair;
    }

    /** Which enclosures assign FC addresses at the bay, and through which driver. */
    public FabricDrivers fabric() {
        return fabric;
    }

    /** Empty where nothing carries profiles' data (then profiles with a data directory are not synced). */
    public java.util.Optional<DataDriver> data() {
        return java.util.Optional.ofNullable(data);
    }
}
