package io.understudy.engine.job;

import io.understudy.engine.hook.HookResult;
import io.understudy.model.config.HookEvent;
import io.understudy.model.config.HookSpec;
import io.understudy.state.AlarmType;
import io.understudy.state.HookVariables;
import io.understudy.state.JobType;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Runs the group's pre-failover hooks (global ones first) before the fence; the first that fails — a non-zero exit,
 * a timeout, a webhook answering other than 2xx — vetoes: the job stops with that hook's output as its reason and
 * nothing is fenced or moved. The hooks run on the hook executor while the step waits. A leader change while they
 * run makes the new leader run them again (the step is not finished), so a veto hook may run twice for one job; it
 * sees the same {@code UNDERSTUDY_JOB} both times.
 */
final class PreFailoverHook implements JobStep {
    @Override
    public String name() {
        return JobType.PRE_FAILOVER_HOOK;
    }

    @Override
    public Outcome run(StepContext c) {
        List<HookSpec> hooks = c.read(s -> s.config().hooksFor(c.job().group(), HookEvent.PRE_FAILOVER));
        if (hooks.isEmpty()) return Outcome.done("no pre-failover hook is configured any more");
        var variables = HookVariables.job(HookEvent.PRE_FAILOVER, c.job(), c.now());
        variables.put("event_id", "job-" + c.job().id() + "-pre-failover");
        String key = variables.get("event_id") + "-" + c.job().created().toEpochMilli();
        var results = c.hooks().vetoRound(key, hooks, variables, key);
        if (results.isEmpty()) {
            return Outcome.waitUntil(c.nextPoll(), "running pre-failover hook(s) " + hooks.stream().map(HookSpec::name).collect(Collectors.joining(", ")));
        }
        HookResult last = results.get().get(results.get().size() - 1);
        if (!last.ok()) {
            return Outcome.failed(AlarmType.FAILOVER_FAILED, "vetoed by pre-failover hook " + last.hook() + " (" + last.result()
                    + "); nothing was fenced or moved");
        }
        return Outcome.done("pre-failover hooks agree: " + results.get().stream().map(r -> r.hook() + " " + r.result())
                .collect(Collectors.joining("; ")));
    }
}
