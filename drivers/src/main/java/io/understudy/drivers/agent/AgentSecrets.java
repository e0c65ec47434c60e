package io.understudy.drivers.agent;

import io.understudy.drivers.DriverException;
import io.understudy.model.config.AgentSpec;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Reads agents' secrets from where the configuration names them. A file is read again only when it changes, since
 * heartbeats arrive many times a second. The secret never appears in a message.
 */
public final class AgentSecrets {
    private record Cached(long modified, String secret) {}

    private final Map<String, String> env;
    private final Map<Path, Cached> files = new ConcurrentHashMap<>();

    public AgentSecrets(Map<String, String> env) {
        this.env = env;
    }

    public static AgentSecrets fromEnvironment() {
        return new AgentSecrets(System.getenv());
    }

    public String secret(String server, AgentSpec spec) throws DriverException {
        if (spec.secretEnv() != null) {
            String s = env.get(spec.secretEnv());
            if (s == null || s.isBlank()) {
                throw new DriverException(DriverException.Kind.AUTH, "agent secret of " + server + ": environment variable "
                        + spec.secretEnv() + " is not set");
            }
            return s.strip();
        }
        Path p = Path.of(spec.secretFile());
        try {
            long modified = Files.getLastModifiedTime(p).toMillis();
            Cached c = files.get(p);
            if (c == null || c.modified() != modified) {
                c = new Cached(modified, Files.readString(p, StandardCharsets.UTF_8).strip());
                files.put(p, c);
            }
            if (c.secret().isEmpty()) throw new DriverException(DriverException.Kind.AUTH, "agent secret file of " + server + " is empty: " + p);
            return c.secret();
        } catch (IOException e) {
            throw new DriverException(DriverException.Kind.AUTH, "cannot read the agent secret of " + server + " from " + p + ": " + e.getMessage());
        }
    }
}
