package io.understudy.engine.job;

import io.understudy.drivers.DriverException;
import io.understudy.model.ServerState;
import io.understudy.model.config.ProtectionLevel;
import io.understudy.state.AlarmType;
import io.understudy.state.command.ObserveServer;

/**
 * Before a profile goes home, the spare gives up its identity: its agent stops the workload and drops the
 * identity, or — if the agent does not answer — its BMC powers it off and the power state is read back. A cold
 * spare is powered off either way, ready to stand by again.
 */
final class ReleaseSpare implements JobStep {
    @Override
    public String name() {
        return "release-spare";
    }

    @Override
    public Outcome run(StepContext c) {
        String id = c.job().source();
        if (id == null) return Outcome.done("profile was down; no spare to release");
        boolean cold = c.level() == ProtectionLevel.COLD;
        // A preloaded standby keeps its workload running (without the alias): that is what makes it preloaded.
        boolean keepWorkload = c.level().standbyRuns();
        boolean released = false;
        try {
            if (!keepWorkload) c.drivers().workload().stop(id, c.profile(), c.call());
            c.drivers().identity().release(id, c.profile(), c.call());
            released = !c.drivers().identity().holds(id, c.profile(), c.call());
        } catch (DriverException e) {
            // An agent that does not answer (or a server that is off) is handled by powering the server off below.
            if (e.kind() != DriverException.Kind.UNREACHABLE && c.pastDeadline(c.policy().fenceTimeout())) {
                return Outcome.failed(AlarmType.FENCE_FAILED, "cannot release " + id + ": " + e.getMessage() + "; the profile stays there");
            }
        }
        if (released && keepWorkload) return Outcome.done("agent of " + id + " released the identity; the workload keeps running, " + c.level().wire());
        if (released && !cold) return Outcome.done("agent of " + id + " stopped the workload and released the identity; back in the hot pool");
        Outcome o = PowerOff.confirm(c, id, released ? "cold standby" : "its agent does not answer", how -> {
            c.drivers().identity().release(id, c.profile(), c.call());
            c.submit(new ObserveServer(id, ServerState.OFF, "powered off by job " + c.job().id(), c.now()));
            return Outcome.done(id + " is off and holds no identity (" + how + ")");
        });
        return PowerOff.onFailure(o, "the profile stays on " + id);
    }
}
