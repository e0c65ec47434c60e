package io.understudy.engine.job;

import io.understudy.drivers.DriverException;
import io.understudy.drivers.PowerReading;
import io.understudy.model.config.ServerSpec;
import io.understudy.state.AlarmType;
import io.understudy.state.command.ConfirmFence;

/**
 * Hard power-off of the source through its BMC, then reads the power state back until it says off. Only that
 * reading fences: a BMC that accepts the order and does nothing fails the step, with an alarm, and nothing moves.
 */
final class Fence implements JobStep {
    @Override
    public String name() {
        return "fence";
    }

    @Override
    public Outcome run(StepContext c) {
        String id = c.job().source();
        if (FencedServer.of(c.read(s -> s), id).isPresent()) return Outcome.done(id + " already fenced");
        ServerSpec spec = c.server(id);
        try {
            PowerReading r = c.drivers().power(spec).read(id, c.call());
            if (r.power() == PowerReading.Power.OFF) {
                String how = "power off confirmed by BMC (" + spec.bmc().driver() + ") after " + c.elapsed().toMillis() + " ms";
                var res = c.submit(new ConfirmFence(c.job().id(), id, how, c.now()));
                if (!res.ok()) return Outcome.failed(AlarmType.FENCE_FAILED, res.message());
                return Outcome.done(id + " " + how);
            }
            if (c.pastDeadline(c.policy().fenceTimeout())) {
                return failed(c, "BMC accepted power off but " + id + " still reads on after " + c.elapsed().toSeconds() + " s");
            }
            // Idempotent: ordering an off-bound server off again is harmless, and covers an order lost in a leader change.
            c.drivers().power(spec).powerOff(id, c.call());
            return Outcome.waitUntil(c.nextPoll(), "hard power off ordered; waiting for BMC to read off");
        } catch (DriverException e) {
            if (e.kind() == DriverException.Kind.AUTH || e.kind() == DriverException.Kind.REFUSED || c.pastDeadline(c.policy().fenceTimeout())) {
                return failed(c, "cannot fence " + id + ": " + e.getMessage());
            }
            return Outcome.waitUntil(c.nextPoll(), "BMC error, retrying: " + e.getMessage());
        }
    }

    private static Outcome failed(StepContext c, String why) {
        return Outcome.failed(AlarmType.FENCE_FAILED, why + "; nothing was moved");
    }
}
