package io.understudy.agent;

import io.understudy.drivers.CallContext;
import io.understudy.drivers.DriverException;
import io.understudy.drivers.IdentityDriver;
import io.understudy.drivers.WorkloadDriver;
import io.understudy.model.config.ProfileSpec;

/** The agent server's view of one real server: orders for it go to its {@link Host}; orders for another are refused. */
final class HostDrivers implements IdentityDriver, WorkloadDriver {
    private final String server;
    private final Host host;
    /** Told after an identity was applied or released: what the heartbeats report as held is out of date. */
    private final Runnable identityChanged;

    HostDrivers(String server, Host host) {
        this(server, host, () -> { });
    }

    HostDrivers(String server, Host host, Runnable identityChanged) {
        this.server = server;
        this.host = host;
        this.identityChanged = identityChanged;
    }

    private void mine(String s) throws DriverException {
        if (!server.equals(s)) throw new DriverException(DriverException.Kind.FAILED, "this agent runs on " + server + ", not " + s);
    }

    @Override
    public void assign(String s, ProfileSpec profile, CallContext ctx) throws DriverException {
        mine(s);
        try {
            host.applyIdentity(profile);
        } finally {
            identityChanged.run();
        }
    }

    @Override
    public void release(String s, ProfileSpec profile, CallContext ctx) throws DriverException {
        mine(s);
        try {
            host.releaseIdentity(profile);
        } finally {
            identityChanged.run();
        }
    }

    @Override
    public boolean holds(String s, ProfileSpec profile, CallContext ctx) throws DriverException {
        mine(s);
        return host.holdsIdentity(profile);
    }

    @Override
    public void start(String s, ProfileSpec profile, CallContext ctx) throws DriverException {
        mine(s);
        host.startWorkload(profile);
    }

    @Override
    public void stop(String s, ProfileSpec profile, CallContext ctx) throws DriverException {
        mine(s);
        host.stopWorkload(profile);
    }

    @Override
    public Status monitor(String s, ProfileSpec profile, CallContext ctx) throws DriverException {
        mine(s);
        return host.monitorWorkload(profile);
    }
}
