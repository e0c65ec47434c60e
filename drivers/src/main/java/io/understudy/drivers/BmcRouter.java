package io.understudy.drivers;

import io.understudy.model.config.Bmc;
import io.understudy.model.config.DataCenterConfig;
import io.understudy.model.config.ServerSpec;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * One driver name's power driver for the whole data center: each call goes to the server's own BMC driver, built
 * from the server's {@link Bmc} settings in the current configuration and rebuilt when those settings change.
 */
public final class BmcRouter implements PowerDriver {

    /** Builds the driver of one BMC. */
    @FunctionalInterface
    public interface Factory {
        PowerDriver create(Bmc bmc) throws DriverException;
    }

    private record Built(Bmc bmc, PowerDriver driver) {}

    private final String name;
    private final Supplier<DataCenterConfig> config;
    private final Factory factory;
    private final Map<String, Built> byServer = new ConcurrentHashMap<>();

    public BmcRouter(String name, Supplier<DataCenterConfig> config, Factory factory) {
        this.name = name;
        this.config = config;
        this.factory = factory;
    }

    PowerDriver driverOf(String server) throws DriverException {
        ServerSpec spec = config.get().server(server).orElseThrow(() ->
                new DriverException(DriverException.Kind.FAILED, "no server '" + server + "' in the configuration"));
        Bmc bmc = spec.bmc();
        if (!name.equals(bmc.driver())) {
            throw new DriverException(DriverException.Kind.FAILED, server + " uses BMC driver '" + bmc.driver() + "', not '" + name + "'");
        }
        Built b = byServer.get(server);
        if (b != null && b.bmc().equals(bmc)) return b.driver();
        PowerDriver d = factory.create(bmc);
        byServer.put(server, new Built(bmc, d));
        return d;
    }

    @Override
    public void powerOff(String server, CallContext ctx) throws DriverException {
        driverOf(server).powerOff(server, ctx);
    }

    @Override
    public void powerOn(String server, CallContext ctx) throws DriverException {
        driverOf(server).powerOn(server, ctx);
    }

    @Override
    public PowerReading read(String server, CallContext ctx) throws DriverException {
        return driverOf(server).read(server, ctx);
    }

    @Override
    public BmcCheck check(String server, CallContext ctx) {
        try {
            return driverOf(server).check(server, ctx);
        } catch (DriverException e) {
            return new BmcCheck(java.util.List.of(BmcCheck.Stage.failed("configure driver", e)));
        }
    }
}
