package io.understudy.model.config;

/** A physical server as configured: where it sits, what it is, how to reach its BMC and its agent. */
public record ServerSpec(
        String id,
        String location,
        String hostname,
        String address,
        String model,
        String generation,
        int cores,
        int memoryGib,
        Bmc bmc,
        AgentSpec agent) {

    public ServerSpec {
        if (bmc == null) bmc = new Bmc("sim", null);
    }

    /** A server whose agent is the simulator's. */
    public ServerSpec(String id, String location, String hostname, String address, String model, String generation,
                      int cores, int memoryGib, Bmc bmc) {
        this(id, location, hostname, address, model, generation, cores, memoryGib, bmc, null);
    }

    public Location parsedLocation() {
        return Location.parse(location);
    }
}
