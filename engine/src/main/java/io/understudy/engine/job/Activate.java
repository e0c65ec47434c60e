package io.understudy.engine.job;

import io.understudy.drivers.DriverException;
import io.understudy.drivers.PowerReading;
import io.understudy.model.ServerState;
import io.understudy.model.config.ProfileSpec;
import io.understudy.model.config.ProtectionLevel;
import io.understudy.model.config.ServerSpec;
import io.understudy.state.AlarmType;
import io.understudy.state.command.ObserveServer;

/**
 * Brings the profile up on the target. Where the identity lives in the server's OS (a real agent), see
 * {@link AgentActivation}: powered on if off, then the agent applies it. Otherwise (the simulator's bays): cold, the
 * identity is set at the bay while the server is off, then it is powered on and boots into it; hot, the server is
 * already booted and its agent applies the identity without a reboot. Each run looks at the target first (off, booting, up without the identity, up with it) and does the next
 * thing, so the step can be run again at any point.
 */
final class Activate implements JobStep {
    @Override
    public String name() {
        return "activate";
    }

    @Override
    public Outcome run(StepContext c) {
        Outcome o = activate(c);
        if (o.kind() != Outcome.Kind.WAIT) PowerOrders.forget(c);
        return o;
    }

    private static Outcome activate(StepContext c) {
        String id = c.job().target();
        ServerSpec spec = c.server(id);
        ProfileSpec profile = c.profile();
        ProtectionLevel level = c.level();
        try {
            if (c.drivers().identity().lapsesWhenOff(id)) {
                // A real agent: the identity lives in the running OS, so it cannot be set at the bay of a server that
                // is off (issue 11: cold spares were never powered on). Power on, wait for the agent, push to it.
                return AgentActivation.run(c, id, spec, profile, level);
            }
            // The simulator's bays (VCEM style): the identity is set at the bay while the server is off.
            PowerReading power = c.drivers().power(spec).read(id, c.call());
            if (power.power() == PowerReading.Power.OFF) {
                // Ordered once, then only after a back-off: a BMC that starts power-on over on each order keeps the
                // spare off for as long as it is asked every poll.
                PowerOrders.Attempt a = PowerOrders.order(c, PowerReading.Power.ON, () -> {
                    c.drivers().identity().assign(id, profile, c.call());
                    c.drivers().power(spec).powerOn(id, c.call());
                });
                if (a == PowerOrders.Attempt.ORDERED) {
                    c.submit(new ObserveServer(id, ServerState.BOOTING, "powered on by job " + c.job().id() + " with the identity of " + profile.id(), c.now()));
                }
                return Outcome.waitUntil(c.nextPoll(), a == PowerOrders.Attempt.BUSY ? "the BMC of " + id + " is busy with an earlier action; asking again later"
                        : "identity set at bay " + spec.location() + "; powering on " + id);
            }
            boolean holds;
            try {
                holds = c.drivers().identity().holds(id, profile, c.call());
            } catch (DriverException e) {
                if (e.kind() != DriverException.Kind.UNREACHABLE) throw e;
                if (c.pastDeadline(c.policy().bootTimeout())) {
                    return Outcome.failed(AlarmType.FAILOVER_FAILED, id + " did not come up within " + c.policy().bootTimeout().toSeconds() + " s");
                }
                return Outcome.waitUntil(c.nextPoll(), "waiting for " + id + " to boot (" + c.elapsed().toSeconds() + " s)");
            }
            if (!holds && level == ProtectionLevel.COLD) {
                // A cold identity is applied at the bay and taken at boot: an up-but-empty target is restarted into it.
                if (PowerOrders.order(c, PowerReading.Power.OFF, () -> c.drivers().power(spec).powerOff(id, c.call())) == PowerOrders.Attempt.ORDERED) {
                    c.submit(new ObserveServer(id, ServerState.OFF, "powered off by job " + c.job().id() + " to boot with " + profile.id(), c.now()));
                }
                return Outcome.waitUntil(c.nextPoll(), "powering off " + id + " to boot it with the identity");
            }
            if (!holds) {
                c.drivers().identity().assign(id, profile, c.call());
                // An agent answers once the identity is applied: ask again now rather than a poll later, since every
                // moment here is outage for the profile's clients.
                if (!c.drivers().identity().holds(id, profile, c.call())) {
                    return Outcome.waitUntil(c.nextPoll(), "identity pushed to the agent of " + id + " (no reboot)");
                }
            }
            String from = restore(c, id, profile, level);
            c.drivers().workload().start(id, profile, c.call());
            return Outcome.done("identity of " + profile.id() + " active on " + id + " (" + level.wire() + "); workload started" + from);
        } catch (DriverException e) {
            if (e.kind() == DriverException.Kind.CONFLICT) return conflict(c, id, e);
            if (e.kind() == DriverException.Kind.REFUSED) return Outcome.failed(AlarmType.FAILOVER_FAILED, e.getMessage());
            if (c.pastDeadline(c.policy().bootTimeout())) return Outcome.failed(AlarmType.FAILOVER_FAILED, "cannot activate on " + id + ": " + e.getMessage());
            return Outcome.waitUntil(c.nextPoll(), "retrying: " + e.getMessage());
        }
    }

    /**
     * Identity then workload through the running agent, two orders and no more (each is idempotent, and the agent
     * answers once it has done it); null when the agent does not answer.
     */
    static Outcome throughAgent(StepContext c, String id, ProfileSpec profile, ProtectionLevel level) throws DriverException {
        try {
            c.drivers().identity().assign(id, profile, c.call());
        } catch (DriverException e) {
            if (e.kind() == DriverException.Kind.CONFLICT) return conflict(c, id, e);
            if (e.kind() == DriverException.Kind.UNREACHABLE || e.kind() == DriverException.Kind.TIMEOUT) return null;
            throw e;
        }
        String from = restore(c, id, profile, level);
        c.drivers().workload().start(id, profile, c.call());
        return Outcome.done("identity of " + profile.id() + " active on " + id + " (" + level.wire() + "); workload started" + from);
    }

    /**
     * The workload starts from the newest good backup the target keeps. A preloaded standby is not restored here: it
     * reloaded each copy as it arrived and runs already, which is what makes its takeover fast.
     */
    private static String restore(StepContext c, String id, ProfileSpec profile, ProtectionLevel level) throws DriverException {
        if (profile.dataDir() == null || c.drivers().data().isEmpty()) return "";
        if (level.standbyRuns() && c.job().type() == io.understudy.state.JobType.FAILOVER) return "; data as last synced";
        // Run again (a retry, a new leader), the step must not replace the data under a workload it already started.
        if (c.drivers().workload().monitor(id, profile, c.call()) == io.understudy.drivers.WorkloadDriver.Status.RUNNING) {
            return "; its workload already ran, data left as it is";
        }
        return c.drivers().data().get().restore(id, profile, c.call())
                .map(b -> " from backup " + b.name())
                .orElse("; no backup kept on " + id + ", data directory as it was");
    }

    /**
     * Foreign equipment answers for the alias (duplicate address detection): nothing is started, and the operator is
     * told which address and who holds it.
     */
    private static Outcome conflict(StepContext c, String id, DriverException e) {
        c.submit(new io.understudy.state.command.RaiseAlarm(AlarmType.ADDRESS_CONFLICT, c.profile().id(),
                "address conflict on " + id + ": " + e.getMessage(), c.now()));
        return Outcome.failed(AlarmType.FAILOVER_FAILED, "address conflict, workload not started: " + e.getMessage());
    }
}
