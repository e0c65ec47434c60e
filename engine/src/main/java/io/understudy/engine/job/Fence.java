package io.understudy.engine.job;

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
        Outcome o = PowerOff.confirm(c, id, "fence", how -> {
            var res = c.submit(new ConfirmFence(c.job().id(), id, how, c.now()));
            if (!res.ok()) return Outcome.failed(AlarmType.FENCE_FAILED, res.message());
            return Outcome.done(id + " " + how);
        });
        return PowerOff.onFailure(o, "nothing was moved");
    }
}
