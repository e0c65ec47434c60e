package io.understudy.engine.job;

import io.understudy.engine.hook.HookResult;
import io.understudy.model.config.HookEvent;
import io.understudy.model.config.HookSpec;
import io.understudy.state.AlarmType;
import io.understudy.state.HookVariables;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Runs the group's pre-failover (or pre-move) hooks, global ones first, before anything is done: before the fence of a
 * failover, before a move stops the source's workload. The first that fails — a non-zero exit, a timeout, a webhook
 * answering other than 2xx — vetoes: the job stops with that hook's output as its reason. The hooks run on the hook
 * executor while the step waits. A leader change while they run makes the new leader run them again (the step is not
 * finished), so a veto hook may run twice for one job; it sees the same {@code UNDERSTUDY_JOB} both times.
 */
final class VetoHook implements JobStep {
    private final HookEvent event;
    private final String step;
    private final String nothingDone;

    VetoHook(HookEvent event, String step, String nothingDone) {
        this.event = event;
        this.step = step;
        this.nothingDone = nothingDone;
    }

    @Override
    public String name() {
        return step;
    }

    @Override
    public Outcome run(StepContext c) {
        List<HookSpec> hooks = c.read(s -> s.config().hooksFor(c.job().group(), event));
        if (hooks.isEmpty()) return Outcome.done("no " + event.wire() + " hook is configured any more");
        var variables = HookVariables.job(event, c.job(), c.now());
        variables.put("event_id", "job-" + c.job().id() + "-" + event.wire());
        String key = variables.get("event_id") + "-" + c.job().created().toEpochMilli();
        var results = c.hooks().vetoRound(key, hooks, variables, key);
        if (results.isEmpty()) {
            return Outcome.waitUntil(c.nextPoll(), "running " + event.wire() + " hook(s) " + hooks.stream().map(HookSpec::name).collect(Collectors.joining(", ")));
        }
        HookResult last = results.get().get(results.get().size() - 1);
        if (!last.ok()) {
            // A vetoed failover is an alarm (the profile stays on a failed server); a vetoed move is an answer.
            AlarmType alarm = event == HookEvent.PRE_FAILOVER ? AlarmType.FAILOVER_FAILED : null;
            return Outcome.failed(alarm, "vetoed by " + event.wire() + " hook " + last.hook() + " (" + last.result() + "); " + nothingDone);
        }
        return Outcome.done(event.wire() + " hooks agree: " + results.get().stream().map(r -> r.hook() + " " + r.result())
                .collect(Collectors.joining("; ")));
    }
}
