package io.understudy.engine.job;

import io.understudy.drivers.DriverException;
import io.understudy.drivers.PowerDriver;
import io.understudy.drivers.PowerReading;
import io.understudy.model.config.ServerSpec;
import io.understudy.state.AlarmType;
import java.time.Duration;

/**
 * The one way understudy takes a server down: order a hard power-off through the BMC and read the power state back
 * until it says off. Only a reading of "off" counts; past the group's fence timeout the step fails with a
 * fence-failed alarm. The order is given once and then only after a back-off ({@link PowerOrders}): a BMC that takes
 * seconds to cut power, and restarts the action on every new order, would otherwise never get there. A busy BMC
 * ("operation in progress") is waited for, never taken as hopeless. Shared by the fence, preemption and the release
 * of a spare.
 */
final class PowerOff {
    private PowerOff() {}

    /** What to do once the server reads off; {@code how} says who confirmed it and after how long. */
    interface WhenOff {
        Outcome confirmed(String how) throws DriverException;
    }

    static Outcome confirm(StepContext c, String server, String purpose, WhenOff whenOff) {
        Outcome o = run(c, server, purpose, whenOff);
        if (o.kind() != Outcome.Kind.WAIT) PowerOrders.forget(c);
        return o;
    }

    private static Outcome run(StepContext c, String server, String purpose, WhenOff whenOff) {
        ServerSpec spec = c.server(server);
        try {
            PowerDriver bmc = c.drivers().power(spec);
            // The first look on this leader orders the power-off at once (it is idempotent, and a server already off
            // stays off); the reading right after it decides. Every moment here is outage for the profile's clients.
            // Past the deadline only a new leader orders (once): the step is failing, or waiting for a self-fence.
            PowerOrders.Attempt a = !c.firstRun && c.pastDeadline(c.policy().fenceTimeout()) ? PowerOrders.Attempt.WAITING
                    : PowerOrders.order(c, PowerReading.Power.OFF, () -> bmc.powerOff(server, c.call()));
            PowerReading r = bmc.read(server, c.call());
            if (r.power() == PowerReading.Power.OFF) {
                int n = PowerOrders.count(c);
                return whenOff.confirmed("power off confirmed by BMC (" + spec.bmc().driver() + ") read-back"
                        + (c.firstRun ? "" : " after " + c.elapsed().toMillis() + " ms of waiting")
                        + (n > 1 ? " and " + n + " orders" : ""));
            }
            if (c.pastDeadline(c.policy().fenceTimeout())) {
                return Outcome.failed(AlarmType.FENCE_FAILED, "BMC accepted power off but " + server + " still reads on after "
                        + c.elapsed().toSeconds() + " s (" + PowerOrders.count(c) + " orders)");
            }
            String doing = a == PowerOrders.Attempt.BUSY
                    ? "the BMC of " + server + " is busy with an earlier action; asking again in "
                        + Duration.between(c.now(), PowerOrders.next(c)).toSeconds() + " s (" + purpose + ")"
                    : "hard power off of " + server + " ordered (" + purpose + "); waiting for the BMC to read off";
            return Outcome.waitUntil(c.nextPoll(), doing);
        } catch (DriverException e) {
            boolean hopeless = e.kind() == DriverException.Kind.AUTH || e.kind() == DriverException.Kind.REFUSED;
            if (hopeless || c.pastDeadline(c.policy().fenceTimeout())) {
                return Outcome.failed(AlarmType.FENCE_FAILED, "cannot power off " + server + ": " + e.getMessage());
            }
            return Outcome.waitUntil(c.nextPoll(), "BMC error, retrying: " + e.getMessage());
        }
    }

    /** The same outcome with a sentence added to a failure, saying what the failure means for this job. */
    static Outcome onFailure(Outcome o, String consequence) {
        return o.kind() == Outcome.Kind.FAILED ? Outcome.failed(o.alarm(), o.message() + "; " + consequence) : o;
    }
}
