package io.understudy.engine.job;

import io.understudy.state.AlarmType;
import io.understudy.state.JobType;
import io.understudy.state.command.ClearAlarm;
import io.understudy.state.command.RaiseAlarm;

/** Ends the job: after a failover the "profile running on spare" alarm tells operators; after a fallback it clears. */
final class Release implements JobStep {
    @Override
    public String name() {
        return "release";
    }

    @Override
    public Outcome run(StepContext c) {
        String profile = c.job().profile();
        c.submit(new ClearAlarm(AlarmType.PROFILE_DOWN, profile, c.now()));
        if (c.job().type() == JobType.FAILOVER) {
            String home = c.profile().home();
            c.submit(new RaiseAlarm(AlarmType.PROFILE_ON_SPARE, profile, "profile " + profile + " runs on spare "
                    + c.job().target() + " since job " + c.job().id() + "; home " + home + " is "
                    + c.read(s -> s.server(home).state().wire()), c.now()));
            return Outcome.done(profile + " runs on " + c.job().target());
        }
        c.submit(new ClearAlarm(AlarmType.PROFILE_ON_SPARE, profile, c.now()));
        c.submit(new ClearAlarm(AlarmType.SERVER_FAILED, c.job().target(), c.now()));
        return Outcome.done(profile + " is back home on " + c.job().target() + "; " + c.job().source() + " is a spare again");
    }
}
