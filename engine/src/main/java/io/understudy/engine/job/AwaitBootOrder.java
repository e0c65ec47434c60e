package io.understudy.engine.job;

import io.understudy.engine.Followed;
import io.understudy.model.config.ProfileSpec;
import io.understudy.state.AlarmType;
import io.understudy.state.JobType;
import io.understudy.state.command.ClearAlarm;
import io.understudy.state.command.RaiseAlarm;
import java.util.List;

/**
 * Ordered boot: the profile's identity and workload wait until every profile it starts after is verified running
 * (seed 000: a unit serves only once what it depends on has finished booting). The step says what it waits for. Past
 * the group's boot timeout it raises {@code boot-order-waiting} and goes on waiting: starting without its dependencies
 * is what the order forbids, and a dependency may still come back (an operator repairs it).
 */
final class AwaitBootOrder implements JobStep {
    @Override
    public String name() {
        return JobType.BOOT_ORDER;
    }

    @Override
    public Outcome run(StepContext c) {
        ProfileSpec p = c.profile();
        List<Followed.Look> looks = c.read(s -> Followed.look(s, p));
        List<String> waiting = Followed.waiting(looks, c.drivers(), c.call());
        boolean alarmed = c.read(s -> s.openAlarm(AlarmType.BOOT_ORDER_WAITING, p.id()).isPresent());
        if (waiting.isEmpty()) {
            if (alarmed) c.submit(new ClearAlarm(AlarmType.BOOT_ORDER_WAITING, p.id(), c.now()));
            return Outcome.done(p.after().isEmpty() ? "starts after no profile"
                    : "every profile " + p.id() + " starts after runs: " + String.join(", ", p.after()));
        }
        String text = "waiting for " + String.join("; ", waiting);
        if (!alarmed && c.pastDeadline(c.policy().bootTimeout())) {
            c.submit(new RaiseAlarm(AlarmType.BOOT_ORDER_WAITING, p.id(), p.id() + " (job " + c.job().id() + ") has waited "
                    + c.elapsed().toSeconds() + " s to start: " + text, c.now()));
        }
        return Outcome.waitUntil(c.nextPoll(), text);
    }
}
