package io.understudy.drivers;

import io.understudy.model.config.ProfileSpec;

/**
 * A simulated server's pair member, where nothing runs one (tests on the driven clock; the server runs real members
 * for its simulator's pairs, server SimPairs): it answers while the profile's workload runs there, leads while it
 * holds the alias, hears a leader, and reports sequence 0. Real members are asked through {@link FrontPairDriver}.
 */
public final class SimPair implements PairDriver {
    private final WorkloadDriver workload;
    private final IdentityDriver identity;

    public SimPair(WorkloadDriver workload, IdentityDriver identity) {
        this.workload = workload;
        this.identity = identity;
    }

    @Override
    public PairStatus status(String server, ProfileSpec profile, CallContext ctx) throws DriverException {
        if (workload.monitor(server, profile, ctx) != WorkloadDriver.Status.RUNNING) {
            throw new DriverException(DriverException.Kind.UNREACHABLE, "the pair member of " + profile.id() + " does not run on " + server);
        }
        // No protocol runs between simulated members: each hears a leader, as a member of a healthy pair does.
        return new PairStatus(0, "simulated", identity.holds(server, profile, ctx), null, "simulated", 0);
    }

    /** A simulated member holds no inputs: there is nothing to resync, and it answers that it did. */
    @Override
    public void resync(String server, ProfileSpec profile, CallContext ctx) throws DriverException {
        status(server, profile, ctx);
    }
}
