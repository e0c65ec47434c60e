package io.understudy.drivers.fence;

import io.understudy.drivers.DriverException;
import io.understudy.drivers.DriverException.Kind;
import io.understudy.drivers.PowerReading;
import java.util.List;
import java.util.Locale;

/**
 * Reads what a fence agent said. Exit codes follow the fence-agent API (status: 0 on, 2 off, 1 error; other
 * actions: 0 done); the agent's log lines, already stripped of the password, say which kind of failure it was.
 */
final class FenceAgentOutput {
    private FenceAgentOutput() {}

    /** One agent run: exit code, its standard output, and all it printed (both already redacted). */
    record Run(int exit, String stdout, String text) {}

    private static final List<String> AUTH = List.of("HMAC is invalid", "unauthorized name", "Invalid user name",
            "Unable to login", "Login failed", "Authentication failed", "authentication failed", "401 Unauthorized",
            "Unauthorized", "You have to set login password", "does not have the correct privileges", "Permission denied");
    private static final List<String> UNREACHABLE = List.of("Connection timed out", "Get Auth Capabilities error",
            "Unable to connect/login", "Connection refused", "No route to host", "Network is unreachable",
            "Connection lost", "Name or service not known", "Failed to connect", "Max retries exceeded");

    /** A device busy with an earlier action, in the words of ipmitool (through fence_ipmilan) and of BMCs. */
    private static final List<String> BUSY = List.of("Node busy", "BMC initialization in progress",
            "Cannot execute duplicated request", "operation in progress", "Operation in progress", "409 Conflict");

    static PowerReading status(String agent, String server, int exit, String stdout, String text) throws DriverException {
        String said = stdout.toUpperCase(Locale.ROOT);
        if (exit == 2) {
            if (said.contains("STATUS: ON")) throw new DriverException(Kind.FAILED, agent + " exited 2 (off) but printed Status: ON");
            return new PowerReading(PowerReading.Power.OFF, PowerReading.Health.UNKNOWN, agent + ": Status: OFF");
        }
        // A fence agent reports power only: health is not measured, so it is unknown, not "ok".
        if (exit == 0) return new PowerReading(PowerReading.Power.ON, PowerReading.Health.UNKNOWN, agent + ": Status: ON");
        throw error(agent, "status", text);
    }

    static DriverException error(String agent, String action, String text) {
        String why = reason(text);
        String msg = agent + " action=" + action + " failed: " + why;
        for (String a : AUTH) if (text.contains(a)) return new DriverException(Kind.AUTH, agent + " could not log in: " + why);
        for (String u : UNREACHABLE) if (text.contains(u)) return new DriverException(Kind.UNREACHABLE, agent + " got no answer from its device: " + why);
        for (String b : BUSY) if (text.contains(b)) return new DriverException(Kind.BUSY, agent + ": its device is busy with an earlier action: " + why);
        return new DriverException(Kind.FAILED, msg);
    }

    /**
     * The most telling line: an underlying tool's own complaint (such as ipmitool's "RAKP 2 HMAC is invalid")
     * before the agent's generic "ERROR: Failed: …", then any error line.
     */
    static String reason(String text) {
        String error = null;
        for (String raw : text.split("\n")) {
            String l = raw.replaceFirst("^\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d,\\d+ ", "").replaceFirst("^>\\s*", "").trim();
            if (l.contains("HMAC is invalid") || l.contains("unauthorized name") || l.contains("Get Auth Capabilities error")
                    || l.contains("Node busy")) {
                return l.replaceFirst("^(DEBUG|INFO): \\d* ?", "");
            }
            if (error == null && l.startsWith("ERROR:")) error = l.substring(6).trim();
        }
        if (error != null) return error;
        for (String raw : text.split("\n")) {
            String l = raw.trim();
            if (!l.isEmpty() && !l.contains("DeprecationWarning") && !l.startsWith("from pipes")) return l;
        }
        return "no output";
    }
}
