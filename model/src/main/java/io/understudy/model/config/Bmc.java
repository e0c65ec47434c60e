package io.understudy.model.config;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * How understudy reaches a server's baseboard management controller: a driver name, its endpoint and what that
 * driver needs to log in. The password itself is never part of the configuration: it is named by an environment
 * variable ({@code passwordEnv}) or a file ({@code passwordFile}), read when the driver calls the BMC.
 *
 * @param driver            {@code sim}, {@code redfish}, {@code ipmi} or {@code fence-agent}
 * @param endpoint          {@code sim://enc1/bay1}; redfish: {@code https://host[:port][/redfish/v1/Systems/ID]};
 *                          ipmi and fence-agent: {@code host[:port]}
 * @param certificateSha256 redfish: the BMC certificate's pinned SHA-256 fingerprint (hex, colons optional)
 * @param trustStore        redfish: a PEM file of the CA certificates to trust instead of a pin
 * @param cipherSuite       ipmi: the RMCP+ cipher suite (default 3; 0 is refused: it accepts any password)
 * @param agent             fence-agent: the Pacemaker fence agent to run, e.g. {@code fence_ipmilan}
 * @param options           fence-agent: extra {@code name=value} options passed on its standard input
 * @param timeout           the longest one call to the BMC may take (defaults per driver)
 * @param retries           extra attempts when the BMC does not answer (ipmi, fence-agent; default 1)
 */
public record Bmc(String driver, String endpoint, String username, String passwordEnv, String passwordFile,
                  String certificateSha256, String trustStore, Integer cipherSuite, String agent,
                  Map<String, String> options, Duration timeout, Integer retries) {

    public static final Set<String> DRIVERS = Set.of("sim", "redfish", "ipmi", "fence-agent");
    /** Options the fence-agent driver sets itself: an operator setting them would bypass its checks. */
    private static final Set<String> RESERVED_OPTIONS = Set.of("action", "password", "passwd", "ip", "ipaddr",
            "ipport", "username", "login", "password_script");

    public Bmc {
        if (driver == null) driver = "sim";
        options = options == null ? Map.of() : Collections.unmodifiableMap(new TreeMap<>(options));
    }

    public Bmc(String driver, String endpoint) {
        this(driver, endpoint, null, null, null, null, null, null, null, null, null, null);
    }

    public Duration timeoutOr(Duration fallback) {
        return timeout == null ? fallback : timeout;
    }

    public int retriesOr(int fallback) {
        return retries == null ? fallback : retries;
    }

    public int cipherSuiteOr(int fallback) {
        return cipherSuite == null ? fallback : cipherSuite;
    }

    /** Every problem with these settings for their driver, each with its field path under {@code at}. */
    public List<ConfigError> problems(String at) {
        List<ConfigError> errors = new ArrayList<>();
        if (!DRIVERS.contains(driver)) {
            errors.add(new ConfigError(at + ".driver", "unknown driver '" + driver + "' (expected one of " + new java.util.TreeSet<>(DRIVERS) + ")"));
            return errors;
        }
        if (passwordEnv != null && passwordFile != null) errors.add(new ConfigError(at + ".passwordFile", "set passwordEnv or passwordFile, not both"));
        if (timeout != null && (timeout.isZero() || timeout.isNegative())) errors.add(new ConfigError(at + ".timeout", "expected a positive duration"));
        if (retries != null && (retries < 0 || retries > 10)) errors.add(new ConfigError(at + ".retries", "expected 0..10, got " + retries));
        switch (driver) {
            case "redfish" -> redfish(errors, at);
            case "ipmi" -> {
                loginNeeded(errors, at);
                hostPort(errors, at);
                if (cipherSuite != null && cipherSuite == 0) errors.add(new ConfigError(at + ".cipherSuite", "cipher suite 0 accepts any password; expected 1..17 (3 is the usual one)"));
                else if (cipherSuite != null && (cipherSuite < 1 || cipherSuite > 17)) errors.add(new ConfigError(at + ".cipherSuite", "expected 1..17, got " + cipherSuite));
            }
            case "fence-agent" -> fenceAgent(errors, at);
            default -> { }
        }
        return errors;
    }

    private void redfish(List<ConfigError> errors, String at) {
        loginNeeded(errors, at);
        if (endpoint == null || !endpoint.matches("https://[^/\\s]+(/redfish/v1/Systems/[^/\\s]+)?/?")) {
            errors.add(new ConfigError(at + ".endpoint", "expected https://HOST[:PORT] or https://HOST[:PORT]/redfish/v1/Systems/ID, got '" + endpoint + "'"));
        }
        if (certificateSha256 != null && trustStore != null) errors.add(new ConfigError(at + ".trustStore", "pin a certificate or name a trust store, not both"));
        if (certificateSha256 != null && !certificateSha256.replace(":", "").matches("(?i)[0-9a-f]{64}")) {
            errors.add(new ConfigError(at + ".certificateSha256", "expected a SHA-256 fingerprint: 64 hex digits, colons optional"));
        }
    }

    private void fenceAgent(List<ConfigError> errors, String at) {
        if (agent == null || !agent.matches("fence_[a-z0-9_]+")) {
            errors.add(new ConfigError(at + ".agent", "expected a fence agent name like fence_ipmilan, got '" + agent + "'"));
        }
        if (endpoint != null && !endpoint.isBlank()) hostPort(errors, at);
        if ((passwordEnv != null || passwordFile != null) && username == null) {
            errors.add(new ConfigError(at + ".username", "expected a username with the password"));
        }
        options.forEach((k, v) -> {
            if (!k.matches("[a-z][a-z0-9_]*")) errors.add(new ConfigError(at + ".options." + k, "expected an option name like power_wait"));
            else if (RESERVED_OPTIONS.contains(k)) errors.add(new ConfigError(at + ".options." + k, "set by understudy itself (use endpoint, username, passwordEnv or passwordFile)"));
            if (v == null || v.contains("\n") || v.contains("\r")) errors.add(new ConfigError(at + ".options." + k, "expected a one-line value"));
        });
    }

    private void loginNeeded(List<ConfigError> errors, String at) {
        if (username == null || username.isBlank()) errors.add(new ConfigError(at + ".username", "expected the BMC user name"));
        if (passwordEnv == null && passwordFile == null) {
            errors.add(new ConfigError(at + ".passwordFile", "expected passwordFile or passwordEnv (the password is never written in the file itself)"));
        }
    }

    private void hostPort(List<ConfigError> errors, String at) {
        if (endpoint == null || !endpoint.matches("(ipmi://)?(\\[[0-9a-fA-F:]+]|[A-Za-z0-9.-]+)(:\\d{1,5})?")) {
            errors.add(new ConfigError(at + ".endpoint", "expected HOST or HOST:PORT, got '" + endpoint + "'"));
        }
    }
}
