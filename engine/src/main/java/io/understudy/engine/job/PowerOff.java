package io.understudy.engine.job;

import io.understudy.drivers.DriverException;
import io.understudy.drivers.PowerReading;
import io.understudy.model.config.ServerSpec;
import io.understudy.state.AlarmType;

/**
 * The one way understudy takes a server down: read the power state through the BMC; if it is not off, order a hard
 * power-off (idempotent, so an order lost in a leader change is simply given again) and wait to read it back. Only
 * a reading of "off" counts; past the group's fence timeout the step fails with a fence-failed alarm. Shared by
 * the fence, preemption and the release of a spare.
 */
final class PowerOff {
    private PowerOff() {}

    /** What to do once the server reads off; {@code how} says who confirmed it and after how long. */
    interface WhenOff {
        Outcome confirmed(String how) throws DriverException;
    }

    static Outcome confirm(StepContext c, String server, String purpose, WhenOff whenOff) {
        ServerSpec spec = c.server(server);
        try {
            // The first look on this leader orders the power-off at once (it is idempotent, and a server already off
            // stays off); the reading right after it decides. Every moment here is outage for the profile's clients.
            if (c.firstRun) c.drivers().power(spec).powerOff(server, c.call());
            PowerReading r = c.drivers().power(spec).read(server, c.call());
            if (r.power() == PowerReading.Power.OFF) {
                return whenOff.confirmed("power off confirmed by BMC (" + spec.bmc().driver() + ") read-back"
                        + (c.firstRun ? "" : " after " + c.elapsed().toMillis() + " ms of waiting"));
            }
            if (c.pastDeadline(c.policy().fenceTimeout())) {
                return Outcome.failed(AlarmType.FENCE_FAILED, "BMC accepted power off but " + server + " still reads on after "
                        + c.elapsed().toSeconds() + " s");
            }
            if (!c.firstRun) c.drivers().power(spec).powerOff(server, c.call());
            return Outcome.waitUntil(c.nextPoll(), "hard power off of " + server + " ordered (" + purpose + "); waiting for the BMC to read off");
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
