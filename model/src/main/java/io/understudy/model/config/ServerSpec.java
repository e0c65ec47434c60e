package io.understudy.model.config;

/** A physical server as configured: where it sits, what it is, and how to reach its BMC. */
public record ServerSpec(
        String id,
        String location,
        String hostname,
        String address,
        String model,
        String generation,
        int cores,
        int memoryGib,
        Bmc bmc) {

    public ServerSpec {
        if (bmc == null) bmc = new Bmc("sim", null);
    }

    public Location parsedLocation() {
        return Location.parse(location);
    }
}
