package io.understudy.engine.job;

import io.understudy.drivers.DriverException;
import io.understudy.state.AlarmType;
import io.understudy.state.JobType;
import io.understudy.state.command.MoveProfile;
import java.util.Optional;

/**
 * Moves the profile in the inventory: the source loses its hostname and addresses, the target loses its spare
 * designation. For a failover this takes a {@link FencedServer}; the source's bay identity is withdrawn first so a
 * repaired source never boots with it.
 */
final class MoveIdentity implements JobStep {
    @Override
    public String name() {
        return "move-profile";
    }

    @Override
    public Outcome run(StepContext c) {
        if (c.job().type() == JobType.FAILOVER) {
            Optional<FencedServer> fenced = c.read(s -> FencedServer.of(s, c.job().source()));
            if (fenced.isEmpty()) return Outcome.failed(AlarmType.FAILOVER_FAILED, "source " + c.job().source() + " is not fenced; nothing moves");
            return move(c, fenced.get());
        }
        return commit(c);
    }

    private Outcome move(StepContext c, FencedServer source) {
        if (source.selfFenced()) {
            // Cut off: its agent dropped the identity itself, and no order of ours can reach it to ask.
            return commit(c, source.id() + " fenced itself; its agent dropped the identity");
        }
        if (c.drivers().identity().lapsesWhenOff(source.id())) {
            // Fenced means powered off, and an OS-held identity (alias addresses) does not outlive power: nothing to ask
            // of an agent that cannot answer.
            return commit(c, source.id() + " is powered off; its identity went with it");
        }
        try {
            c.drivers().identity().release(source.id(), c.profile(), c.call());
        } catch (DriverException e) {
            if (c.pastDeadline(c.policy().fenceTimeout())) {
                return Outcome.failed(AlarmType.FAILOVER_FAILED, "cannot withdraw the identity from " + source.id() + ": " + e.getMessage());
            }
            return Outcome.waitUntil(c.nextPoll(), "withdrawing identity from " + source.id() + ": " + e.getMessage());
        }
        return commit(c);
    }

    private static Outcome commit(StepContext c) {
        return commit(c, null);
    }

    private static Outcome commit(StepContext c, String note) {
        var r = c.submit(new MoveProfile(c.job().id(), c.now()));
        if (!r.ok()) return Outcome.failed(AlarmType.FAILOVER_FAILED, r.message());
        return Outcome.done(note == null ? r.message() : r.message() + " (" + note + ")");
    }
}
