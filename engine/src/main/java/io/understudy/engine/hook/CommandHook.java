package io.understudy.engine.hook;

import io.understudy.drivers.process.ProcessRunner;
import io.understudy.model.config.HookSpec;
import io.understudy.state.HookVariables;
import io.understudy.state.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Runs a command hook: its argument list as given (no shell, so nothing in an event's text is interpreted), the event
 * as {@code UNDERSTUDY_*} variables and as JSON on standard input, killed with everything it started at its timeout.
 */
final class CommandHook {
    private CommandHook() {}

    static HookResult run(HookSpec hook, SortedMap<String, String> variables) {
        Map<String, String> env = new TreeMap<>();
        for (String name : HookVariables.NAMES) env.put("UNDERSTUDY_" + name.toUpperCase(Locale.ROOT), variables.getOrDefault(name, ""));
        String stdin = new String(Json.bytes(variables), StandardCharsets.UTF_8);
        try {
            ProcessRunner.Result r = ProcessRunner.run(hook.command(), env, stdin, hook.timeout());
            String output = (r.stdout().strip() + "\n" + r.stderr().strip()).strip();
            String said = "exit " + r.exit() + " in " + r.took().toMillis() + " ms" + (output.isEmpty() ? "" : ": " + output);
            return r.exit() == 0 ? HookResult.ok(hook.name(), said) : HookResult.failed(hook.name(), said);
        } catch (ProcessRunner.TimedOut e) {
            return HookResult.failed(hook.name(), "command " + hook.command().get(0) + " " + e.getMessage());
        } catch (IOException e) {
            return HookResult.failed(hook.name(), "cannot run " + hook.command().get(0) + ": " + e.getMessage());
        }
    }
}
