package io.understudy.model.config;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * How the control plane reaches a server's agent, and the secret both sides sign their messages with. Without an
 * agent section the server's agent is the embedded simulator's. The secret itself is never part of the
 * configuration: it is named by an environment variable or a file.
 *
 * @param endpoint   the agent's base URL, e.g. {@code http://198.18.0.11:7700}; orders go to
 *                   {@code endpoint/v1/agents/SERVER/...}
 * @param secretEnv  the environment variable holding the per-agent secret
 * @param secretFile the file holding the per-agent secret
 */
public record AgentSpec(String endpoint, String secretEnv, String secretFile) {
    private static final Pattern URL = Pattern.compile("https?://[A-Za-z0-9._-]+(:\\d{1,5})?/?");

    /** Every problem with these settings, each with its field path under {@code at}. */
    public List<ConfigError> problems(String at) {
        List<ConfigError> errors = new ArrayList<>();
        if (endpoint == null || endpoint.isBlank()) {
            errors.add(new ConfigError(at + ".endpoint", "expected the agent's URL, e.g. http://198.18.0.11:7700"));
        } else if (!URL.matcher(endpoint).matches()) {
            errors.add(new ConfigError(at + ".endpoint", "expected an http(s)://host:port URL, got '" + endpoint + "'"));
        }
        if ((secretEnv == null) == (secretFile == null)) {
            errors.add(new ConfigError(at + ".secretFile", "set exactly one of secretEnv or secretFile: every agent message is signed"));
        }
        return errors;
    }
}
