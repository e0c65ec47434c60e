package io.understudy.engine.job;

import io.understudy.drivers.DriverException;
import io.understudy.drivers.PowerReading;
import io.understudy.model.ServerState;
import io.understudy.model.config.ProfileSpec;
import io.understudy.model.config.ProtectionLevel;
import io.understudy.model.config.ServerSpec;
import io.understudy.state.AlarmType;
import io.understudy.state.ServerRecord;
import io.understudy.state.command.ObserveServer;
import java.time.Duration;
import java.time.Instant;

/**
 * Activation on a server whose identity lives in its running OS (a real agent): nothing can be given to it while it
 * is off, so a powered-off target is powered on alone (paced by {@link PowerOrders}), the step waits — at most the
 * group's {@code bootTimeout} — until its agent has been heard since the power-on, and only then pushes the identity
 * and starts the workload through that agent. Each run looks again and does the next thing, so it can be rerun.
 */
final class AgentActivation {
    private AgentActivation() {}

    static Outcome run(StepContext c, String id, ServerSpec spec, ProfileSpec profile, ProtectionLevel level) throws DriverException {
        boolean asked = false;
        if (level != ProtectionLevel.COLD) {
            // A hot or preloaded spare is up: ask the agent first and spare the BMC round trip (tens to hundreds of ms
            // of outage). A cold spare is off by rule, so asking first would only cost a refused connection.
            Outcome fast = Activate.throughAgent(c, id, profile, level);
            if (fast != null) return fast;
            asked = true;
        }
        Duration boot = c.policy().bootTimeout();
        PowerReading power = c.drivers().power(spec).read(id, c.call());
        if (power.power() == PowerReading.Power.OFF) {
            if (c.pastDeadline(boot)) return Outcome.failed(AlarmType.FAILOVER_FAILED, id + " did not power on within " + boot.toSeconds() + " s");
            // Power alone: the identity is the agent's to apply once the OS runs. Ordered once, then paced.
            PowerOrders.Attempt a = PowerOrders.order(c, PowerReading.Power.ON, () -> c.drivers().power(spec).powerOn(id, c.call()));
            if (a == PowerOrders.Attempt.ORDERED) {
                c.submit(new ObserveServer(id, ServerState.BOOTING, "powered on by job " + c.job().id() + "; its agent takes the identity of "
                        + profile.id() + " once it is heard", c.now()));
            }
            return Outcome.waitUntil(c.nextPoll(), a == PowerOrders.Attempt.BUSY ? "the BMC of " + id + " is busy with an earlier action; asking again later"
                    : "powering on " + id + "; its agent takes the identity once it heartbeats");
        }
        Instant on = poweredOnAt(c, id);
        if (!heardSince(c, id, on)) {
            if (c.pastDeadline(boot)) {
                return Outcome.failed(AlarmType.FAILOVER_FAILED, "the agent of " + id + " was not heard within " + boot.toSeconds() + " s of its power-on");
            }
            return Outcome.waitUntil(c.nextPoll(), id + " is on; waiting for its agent to heartbeat (" + c.elapsed().toSeconds() + " s)");
        }
        // Heard: a new leader's silence can be short without a heartbeat, so an agent that still refuses is waited for.
        Outcome o = asked ? null : Activate.throughAgent(c, id, profile, level);
        if (o != null) return o;
        if (c.pastDeadline(boot)) {
            return Outcome.failed(AlarmType.FAILOVER_FAILED, "the agent of " + id + " did not take orders within " + boot.toSeconds() + " s");
        }
        return Outcome.waitUntil(c.nextPoll(), "the agent of " + id + " does not take orders yet; asking again");
    }

    /**
     * When the target came on: the committed BOOTING observation when the job powered it on (it survives a leader
     * change), else the step's start (a target found on was on by then, and any heartbeat since is from its OS).
     */
    private static Instant poweredOnAt(StepContext c, String id) {
        ServerRecord r = c.read(s -> s.server(id));
        if (r != null && r.state() == ServerState.BOOTING && r.since() != null) return r.since();
        return c.stepStarted();
    }

    /** Whether some control-plane node has heard the server's agent since {@code on}. */
    private static boolean heardSince(StepContext c, String id, Instant on) {
        return c.silence(id).compareTo(Duration.between(on, c.now())) < 0;
    }
}
