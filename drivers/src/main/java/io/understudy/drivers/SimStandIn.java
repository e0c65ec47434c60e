package io.understudy.drivers;

import io.understudy.model.config.DataCenterConfig;
import io.understudy.model.config.ProfileSpec;
import io.understudy.model.config.ServerSpec;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The simulator as agent of the servers the operator asked it to play (invariant 8), and of no other: an order for a
 * server with a real BMC and no agent fails instead of landing on a simulated server that is not there.
 */
final class SimStandIn implements IdentityDriver, WorkloadDriver, DataDriver {
    private final Supplier<DataCenterConfig> config;
    private final boolean simulateMissingAgents;
    private final IdentityDriver identity;
    private final WorkloadDriver workload;
    private final DataDriver data;

    <S extends IdentityDriver & WorkloadDriver & DataDriver> SimStandIn(Supplier<DataCenterConfig> config, boolean simulateMissingAgents, S sim) {
        this.config = config;
        this.simulateMissingAgents = simulateMissingAgents;
        this.identity = sim;
        this.workload = sim;
        this.data = sim;
    }

    private void allowed(String server) throws DriverException {
        Optional<ServerSpec> spec = config.get().server(server);
        if (spec.isEmpty() || DriverFactory.simulated(spec.get(), simulateMissingAgents).agent()) return;
        throw new DriverException(DriverException.Kind.FAILED, server + " has a real BMC (" + spec.get().bmc().driver()
                + ") and no agent: the simulator does not stand in for it; configure its agent");
    }

    @Override
    public void assign(String server, ProfileSpec profile, CallContext ctx) throws DriverException {
        allowed(server);
        identity.assign(server, profile, ctx);
    }

    @Override
    public void release(String server, ProfileSpec profile, CallContext ctx) throws DriverException {
        allowed(server);
        identity.release(server, profile, ctx);
    }

    @Override
    public boolean holds(String server, ProfileSpec profile, CallContext ctx) throws DriverException {
        allowed(server);
        return identity.holds(server, profile, ctx);
    }

    @Override
    public boolean lapsesWhenOff(String server) {
        return identity.lapsesWhenOff(server);
    }

    @Override
    public void start(String server, ProfileSpec profile, CallContext ctx) throws DriverException {
        allowed(server);
        workload.start(server, profile, ctx);
    }

    @Override
    public void stop(String server, ProfileSpec profile, CallContext ctx) throws DriverException {
        allowed(server);
        workload.stop(server, profile, ctx);
    }

    @Override
    public Status monitor(String server, ProfileSpec profile, CallContext ctx) throws DriverException {
        allowed(server);
        return workload.monitor(server, profile, ctx);
    }

    @Override
    public BackupInfo backup(String server, ProfileSpec profile, CallContext ctx) throws DriverException {
        allowed(server);
        return data.backup(server, profile, ctx);
    }

    @Override
    public Backups backups(String server, ProfileSpec profile, CallContext ctx) throws DriverException {
        allowed(server);
        return data.backups(server, profile, ctx);
    }

    @Override
    public void copy(String source, String target, ProfileSpec profile, BackupInfo backup, boolean reload, CallContext ctx)
            throws DriverException {
        allowed(source);
        allowed(target);
        data.copy(source, target, profile, backup, reload, ctx);
    }

    @Override
    public Optional<BackupInfo> restore(String server, ProfileSpec profile, CallContext ctx) throws DriverException {
        allowed(server);
        return data.restore(server, profile, ctx);
    }
}
