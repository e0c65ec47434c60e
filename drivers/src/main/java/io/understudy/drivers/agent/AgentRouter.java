package io.understudy.drivers.agent;

import io.understudy.drivers.CallContext;
import io.understudy.drivers.DataDriver;
import io.understudy.drivers.DriverException;
import io.understudy.drivers.IdentityDriver;
import io.understudy.drivers.WorkloadDriver;
import io.understudy.model.config.DataCenterConfig;
import io.understudy.model.config.ProfileSpec;
import java.util.function.Supplier;

/**
 * Chooses, per server, who carries out identity and workload orders: the server's agent over the network when the
 * configuration gives it an agent endpoint, else the embedded simulator (null when this node has none).
 */
public final class AgentRouter implements IdentityDriver, WorkloadDriver, DataDriver {
    private final Supplier<DataCenterConfig> config;
    private final RemoteAgentDriver remote;
    private final IdentityDriver simIdentity;
    private final WorkloadDriver simWorkload;
    private final DataDriver simData;

    public <S extends IdentityDriver & WorkloadDriver & DataDriver> AgentRouter(Supplier<DataCenterConfig> config, RemoteAgentDriver remote, S sim) {
        this.config = config;
        this.remote = remote;
        this.simIdentity = sim;
        this.simWorkload = sim;
        this.simData = sim;
    }

    private DataDriver data(String server) throws DriverException {
        if (remote(server)) return remote;
        if (simData == null) throw noAgent(server);
        return simData;
    }

    @Override
    public BackupInfo backup(String server, ProfileSpec profile, CallContext ctx) throws DriverException {
        return data(server).backup(server, profile, ctx);
    }

    @Override
    public Backups backups(String server, ProfileSpec profile, CallContext ctx) throws DriverException {
        return data(server).backups(server, profile, ctx);
    }

    /** A copy is ordered to the target's agent; source and target must be carried by the same kind of agent. */
    @Override
    public void copy(String source, String target, ProfileSpec profile, BackupInfo backup, boolean reload, CallContext ctx)
            throws DriverException {
        if (remote(source) != remote(target)) {
            throw new DriverException(DriverException.Kind.FAILED, "cannot copy between " + source + " and " + target
                    + ": one has a real agent, the other the simulator's");
        }
        data(target).copy(source, target, profile, backup, reload, ctx);
    }

    @Override
    public java.util.Optional<BackupInfo> restore(String server, ProfileSpec profile, CallContext ctx) throws DriverException {
        return data(server).restore(server, profile, ctx);
    }

    private boolean remote(String server) {
        return config.get().server(server).map(s -> s.agent() != null).orElse(false);
    }

    private IdentityDriver identity(String server) throws DriverException {
        if (remote(server)) return remote;
        if (simIdentity == null) throw noAgent(server);
        return simIdentity;
    }

    private WorkloadDriver workload(String server) throws DriverException {
        if (remote(server)) return remote;
        if (simWorkload == null) throw noAgent(server);
        return simWorkload;
    }

    private static DriverException noAgent(String server) {
        return new DriverException(DriverException.Kind.FAILED, server + " has no agent endpoint and this node runs no simulator");
    }

    @Override
    public void assign(String server, ProfileSpec profile, CallContext ctx) throws DriverException {
        identity(server).assign(server, profile, ctx);
    }

    @Override
    public void release(String server, ProfileSpec profile, CallContext ctx) throws DriverException {
        identity(server).release(server, profile, ctx);
    }

    @Override
    public boolean holds(String server, ProfileSpec profile, CallContext ctx) throws DriverException {
        return identity(server).holds(server, profile, ctx);
    }

    /** A real agent's aliases live in its OS: a fenced (powered-off) server holds nothing any more. */
    @Override
    public boolean lapsesWhenOff(String server) {
        return remote(server);
    }

    @Override
    public void start(String server, ProfileSpec profile, CallContext ctx) throws DriverException {
        workload(server).start(server, profile, ctx);
    }

    @Override
    public void stop(String server, ProfileSpec profile, CallContext ctx) throws DriverException {
        workload(server).stop(server, profile, ctx);
    }

    @Override
    public Status monitor(String server, ProfileSpec profile, CallContext ctx) throws DriverException {
        return workload(server).monitor(server, profile, ctx);
    }
}
