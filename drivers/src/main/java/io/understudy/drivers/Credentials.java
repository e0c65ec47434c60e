package io.understudy.drivers;

import io.understudy.model.config.Bmc;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.UnaryOperator;

/**
 * A BMC user name and password, read when a driver needs them from the environment variable or file the
 * configuration names. The password is never part of {@link #toString()}, and {@link #redact} takes it out of any
 * text (a BMC's or a tool's error output) before that text reaches a message or a log.
 */
public final class Credentials {
    private final String username;
    private final String password;
    private final String source;

    private Credentials(String username, String password, String source) {
        this.username = username;
        this.password = password;
        this.source = source;
    }

    /** Reads the credentials of {@code bmc}; no password configured gives an empty one (some agents need none). */
    public static Credentials of(Bmc bmc) throws DriverException {
        return of(bmc, System::getenv);
    }

    public static Credentials of(Bmc bmc, UnaryOperator<String> env) throws DriverException {
        String user = bmc.username() == null ? "" : bmc.username();
        if (bmc.passwordEnv() != null) {
            String pw = env.apply(bmc.passwordEnv());
            if (pw == null) throw new DriverException(DriverException.Kind.AUTH, "no password: environment variable " + bmc.passwordEnv() + " is not set");
            return new Credentials(user, pw, "environment variable " + bmc.passwordEnv());
        }
        if (bmc.passwordFile() != null) {
            try {
                String pw = Files.readString(Path.of(bmc.passwordFile())).strip();
                return new Credentials(user, pw, "file " + bmc.passwordFile());
            } catch (IOException | RuntimeException e) {
                throw new DriverException(DriverException.Kind.AUTH, "no password: cannot read password file " + bmc.passwordFile()
                        + " (" + e.getClass().getSimpleName() + ")");
            }
        }
        return new Credentials(user, "", "none");
    }

    /** For tests and tools that hold a password already. */
    public static Credentials of(String username, String password) {
        return new Credentials(username, password, "given");
    }

    public String username() {
        return username;
    }

    public String password() {
        return password;
    }

    /** The text with every occurrence of the password replaced by {@code ****}. */
    public String redact(String text) {
        if (text == null || password.isEmpty()) return text;
        return text.replace(password, "****");
    }

    @Override
    public String toString() {
        return "user '" + username + "' (password from " + source + ")";
    }
}
