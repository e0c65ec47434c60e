package io.understudy.model.config;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A hook: a command (run without a shell, the event in its environment and as JSON on its standard input) or a
 * webhook (the event as a JSON POST, signed with HMAC-SHA256 of a secret read from {@code secretFile}), run on some
 * {@link HookEvent}s. Every field but the name, the events and the command or webhook has a default.
 *
 * @param timeout the longest one run or one POST may take; then it is killed (or abandoned) and counts as failed
 * @param attempts how many times a fire-and-record event is tried before the hook is alarmed as failing
 * @param retryBackoff the wait after the first failed attempt, doubled after each further one
 */
public record HookSpec(String name, List<HookEvent> events, List<String> command, String webhook, String secretFile,
                       Duration timeout, Integer attempts, Duration retryBackoff) {

    public HookSpec {
        events = events == null ? List.of() : List.copyOf(events);
        command = command == null ? List.of() : List.copyOf(command);
        if (timeout == null) timeout = Duration.ofSeconds(10);
        if (attempts == null) attempts = 5;
        if (retryBackoff == null) retryBackoff = Duration.ofSeconds(2);
    }

    public boolean byWebhook() {
        return webhook != null;
    }

    public boolean runsOn(HookEvent e) {
        return events.contains(e);
    }

    /** What is wrong with this hook, each error naming its field under {@code at}. */
    public List<ConfigError> problems(String at) {
        List<ConfigError> errors = new ArrayList<>();
        if (name == null || !name.matches("[A-Za-z0-9][A-Za-z0-9._-]*")) {
            errors.add(new ConfigError(at + ".name", "expected a name of letters, digits, '.', '_' or '-', got '" + name + "'"));
        }
        if (events.isEmpty()) errors.add(new ConfigError(at + ".events", "expected at least one of " + HookEvent.names()));
        boolean hasCommand = !command.isEmpty();
        if (hasCommand == byWebhook()) {
            errors.add(new ConfigError(at + (hasCommand ? ".webhook" : ".command"), "expected either a command (a list: program and arguments)"
                    + " or a webhook URL, " + (hasCommand ? "not both" : "got neither")));
        }
        if (hasCommand && command.stream().anyMatch(a -> a == null || a.isEmpty())) {
            errors.add(new ConfigError(at + ".command", "expected non-empty program and arguments"));
        }
        if (byWebhook()) {
            if (!webhook.matches("https?://[^/\\s]+(/\\S*)?")) errors.add(new ConfigError(at + ".webhook", "expected http(s)://HOST[:PORT]/PATH, got '" + webhook + "'"));
            if (secretFile == null || !secretFile.startsWith("/")) {
                errors.add(new ConfigError(at + ".secretFile", "a webhook is signed: expected the absolute path of a file holding its secret, got '"
                        + secretFile + "'"));
            }
        } else if (secretFile != null) {
            errors.add(new ConfigError(at + ".secretFile", "only a webhook is signed; a command hook takes no secretFile"));
        }
        if (timeout.isZero() || timeout.isNegative()) errors.add(new ConfigError(at + ".timeout", "expected a positive duration"));
        if (attempts < 1 || attempts > 20) errors.add(new ConfigError(at + ".attempts", "expected 1..20, got " + attempts));
        if (retryBackoff.isZero() || retryBackoff.isNegative()) errors.add(new ConfigError(at + ".retryBackoff", "expected a positive duration"));
        return errors;
    }
}
