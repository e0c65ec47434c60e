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
        if (c.job().type() == JobType.MOVE) return moved(c, profile);
        c.submit(new ClearAlarm(AlarmType.PROFILE_ON_SPARE, profile, c.now()));
        c.submit(new ClearAlarm(AlarmType.SERVER_FAILED, c.job().target(), c.now()));
        if (c.job().source() == null) return Outcome.done(profile + " runs again, at home on " + c.job().target() + " (it was down)");
        return Outcome.done(profile + " is back home on " + c.job().target() + "; " + c.job().source() + " is a spare again");
    }

    /** After a planned move: on a spare it is said like after a failover (the spare is taken); at home the alarm clears. */
    private static Outcome moved(StepContext c, String profile) {
        String target = c.job().target();
        String home = c.profile().home();
        boolean onSpare = c.read(s -> s.index().isSpare(target));
        if (target.equals(home)) {
            c.submit(new ClearAlarm(AlarmType.PROFILE_ON_SPARE, profile, c.now()));
        } else if (onSpare) {
            c.submit(new RaiseAlarm(AlarmType.PROFILE_ON_SPARE, profile, "profile " + profile + " runs on spare " + target
                    + " since move job " + c.job().id() + " (planned, from " + c.job().source() + "); it stays there until moved again", c.now()));
        } else {
            c.submit(new ClearAlarm(AlarmType.PROFILE_ON_SPARE, profile, c.now()));
        }
        String source = c.job().source();
        String sourceNow = c.read(s -> s.server(source).state().wire());
        return Outcome.done(profile + " runs on " + target + " (moved from " + source + ", which is " + sourceNow + ")");
    }
}
