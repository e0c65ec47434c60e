package io.understudy.engine.job;

import io.understudy.drivers.DriverException;
import io.understudy.drivers.PowerReading;
import io.understudy.model.ServerState;
import io.understudy.model.config.ProtectionLevel;
import io.understudy.model.config.ServerSpec;
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
        ServerSpec spec = c.server(id);
        boolean cold = c.level() == ProtectionLevel.COLD;
        try {
            PowerReading power = c.drivers().power(spec).read(id, c.call());
            if (power.power() == PowerReading.Power.OFF) {
                c.drivers().identity().release(id, c.profile(), c.call());
                c.submit(new ObserveServer(id, ServerState.OFF, "powered off by job " + c.job().id(), c.now()));
                return Outcome.done(id + " is off and holds no identity");
            }
            boolean released = false;
            try {
                c.drivers().workload().stop(id, c.profile(), c.call());
                c.drivers().identity().release(id, c.profile(), c.call());
                released = !c.drivers().identity().holds(id, c.profile(), c.call());
            } catch (DriverException e) {
                if (e.kind() != DriverException.Kind.UNREACHABLE) throw e;
            }
            if (released && !cold) return Outcome.done("agent of " + id + " stopped the workload and released the identity; back in the hot pool");
            if (c.pastDeadline(c.policy().fenceTimeout())) {
                return Outcome.failed(AlarmType.FENCE_FAILED, id + " neither released the identity nor powered off; the profile stays there");
            }
            c.drivers().power(spec).powerOff(id, c.call());
            return Outcome.waitUntil(c.nextPoll(), released ? "identity released; powering " + id + " off (cold standby)"
                    : "agent of " + id + " does not answer; powering it off");
        } catch (DriverException e) {
            if (c.pastDeadline(c.policy().fenceTimeout())) return Outcome.failed(AlarmType.FENCE_FAILED, "cannot release " + id + ": " + e.getMessage());
            return Outcome.waitUntil(c.nextPoll(), "retrying: " + e.getMessage());
        }
    }
}
