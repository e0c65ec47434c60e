package io.understudy.engine.job;

import io.understudy.state.AlarmType;
import io.understudy.state.command.ConfirmFence;

/**
 * Hard power-off of the source through its BMC, then reads the power state back until it says off. Only that
 * reading fences: a BMC that accepts the order and does nothing fails the step, with an alarm, and nothing moves.
 *
 * <p>Unless the group allows a fence without the BMC ({@code fenceWithoutBmc}): agents then fence themselves after
 * {@code selfFenceTimeout} without a majority of the control plane, and a server no node has heard for twice that
 * long has surely done so. Only then, and only once the BMC has failed, is it taken as fenced.
 */
final class Fence implements JobStep {
    @Override
    public String name() {
        return "fence";
    }

    @Override
    public Outcome run(StepContext c) {
        String id = c.job().source();
        // A fence recorded earlier is confirmed again by a read-back (and an idempotent order): a state that says
        // "fenced" while the server runs (seen after a restart that adopted an unreplayed state) must not let a
        // second copy of the identity start. Only a self-fence has no BMC reading to repeat.
        var recorded = FencedServer.of(c.read(s -> s), id);
        if (recorded.isPresent() && recorded.get().selfFenced()) return Outcome.done(id + " already fenced (" + recorded.get().how() + ")");
        Outcome o = PowerOff.confirm(c, id, "fence", how -> {
            var res = c.submit(new ConfirmFence(c.job().id(), id, how, c.now()));
            if (!res.ok()) return Outcome.failed(AlarmType.FENCE_FAILED, res.message());
            return Outcome.done(id + " " + how);
        });
        if (o.kind() == Outcome.Kind.FAILED && c.policy().fenceWithoutBmc()) return selfFenced(c, id, o);
        return PowerOff.onFailure(o, "nothing was moved");
    }

    private static Outcome selfFenced(StepContext c, String id, Outcome bmcFailed) {
        java.time.Duration silent = c.silence(id);
        java.time.Duration needed = c.policy().selfFencedAfter();
        if (silent.compareTo(needed) >= 0) {
            String how = FencedServer.SELF_FENCED + "no control-plane node has heard " + id + " for " + silent.toMillis()
                    + " ms, twice its self-fence timeout (" + c.policy().selfFenceTimeout().toMillis() + " ms); the BMC could not: "
                    + bmcFailed.message();
            var res = c.submit(new ConfirmFence(c.job().id(), id, how, c.now()));
            if (!res.ok()) return Outcome.failed(AlarmType.FENCE_FAILED, res.message());
            return Outcome.done(id + " " + how);
        }
        if (silent.compareTo(c.policy().failureTimeout()) < 0) {
            return PowerOff.onFailure(bmcFailed, id + " is heard again, so it has not fenced itself; nothing was moved");
        }
        return Outcome.waitUntil(c.nextPoll(), "the BMC cannot fence " + id + "; waiting until it has surely fenced itself ("
                + silent.toMillis() + " of " + needed.toMillis() + " ms silent)");
    }
}
