package io.understudy.engine.job;

import io.understudy.drivers.DriverException;
import io.understudy.state.AlarmType;
import io.understudy.state.command.ConfirmFence;

/**
 * The source of a planned move gives its identity up: its agent removes the alias (and stops announcing it) and is
 * asked back whether it still holds it. Only a "no" lets the identity move without a fence (invariant 1). A source
 * that does not confirm within the group's failure timeout is fenced through its BMC like a failed server — powered
 * off and read back off — before the target takes over; if even that fails, the job ends and the move is rolled back.
 */
final class ReleaseSource implements JobStep {
    @Override
    public String name() {
        return "release-source";
    }

    @Override
    public Outcome run(StepContext c) {
        String id = c.job().source();
        String why;
        // Once the fence has begun it is seen through: a source that answers again half-way is powered off anyway.
        if (!c.pastDeadline(c.policy().failureTimeout())) {
            try {
                c.drivers().identity().release(id, c.profile(), c.call());
                if (!c.drivers().identity().holds(id, c.profile(), c.call())) {
                    return Outcome.done("agent of " + id + " released the identity of " + c.profile().id() + " and confirms it holds it no more");
                }
                why = "its agent says it still holds it";
            } catch (DriverException e) {
                why = e.getMessage();
            }
            return Outcome.waitUntil(c.nextPoll(), id + " has not confirmed it released the identity (" + why + "); asking again, fenced after "
                    + c.policy().failureTimeout().toMillis() + " ms");
        }
        Outcome o = PowerOff.confirm(c, id, "it did not confirm it released the identity", how -> {
            var r = c.submit(new ConfirmFence(c.job().id(), id, how, c.now()));
            if (!r.ok()) return Outcome.failed(AlarmType.FENCE_FAILED, r.message());
            return Outcome.done(id + " did not confirm it released the identity of " + c.profile().id() + " within "
                    + c.policy().failureTimeout().toMillis() + " ms; fenced: " + how);
        });
        return PowerOff.onFailure(o, "nothing was moved");
    }
}
