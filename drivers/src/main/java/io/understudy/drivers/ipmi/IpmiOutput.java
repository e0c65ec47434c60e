package io.understudy.drivers.ipmi;

import io.understudy.drivers.BmcCheck;
import io.understudy.drivers.DriverException;
import io.understudy.drivers.DriverException.Kind;
import io.understudy.drivers.Endpoint;
import io.understudy.drivers.PowerReading;
import java.util.ArrayList;
import java.util.List;

/** Reads ipmitool's answers: {@code chassis status} into a power reading, and its complaints into error kinds. */
final class IpmiOutput {
    private IpmiOutput() {}

    static PowerReading chassisStatus(String server, String out) throws DriverException {
        String power = null;
        List<String> faults = new ArrayList<>();
        for (String line : out.split("\n")) {
            int colon = line.indexOf(':');
            if (colon < 0) continue;
            String key = line.substring(0, colon).trim();
            String value = line.substring(colon + 1).trim();
            if (key.equals("System Power")) power = value;
            else if (value.equals("true") && (key.endsWith("Fault") || key.equals("Power Overload"))) faults.add(key);
        }
        if (power == null) throw new DriverException(Kind.FAILED, "BMC of " + server + " answered chassis status without the system power");
        // Chassis fault bits are latched warnings. Their absence says nothing of the rest of the hardware: without
        // the sensors (see withSensors) the health is unknown, not ok.
        return new PowerReading("off".equals(power) ? PowerReading.Power.OFF : PowerReading.Power.ON,
                faults.isEmpty() ? PowerReading.Health.UNKNOWN : PowerReading.Health.WARNING,
                "System Power " + power + (faults.isEmpty() ? "" : "; " + String.join(", ", faults)));
    }

    /** What the BMC's sensors say: the worst status among them, and the sensors past a threshold. */
    record Sensors(PowerReading.Health health, String detail) {}

    /**
     * Reads {@code ipmitool sdr list} ({@code NAME | READING | STATUS}): a sensor past a critical ({@code cr}) or
     * non-recoverable ({@code nr}) threshold reads critical, past a non-critical one ({@code nc}) warning; {@code ok}
     * sensors make it ok; sensors with no reading ({@code ns}) measure nothing. No sensor read at all is unknown.
     */
    static Sensors sensors(String out) {
        List<String> critical = new ArrayList<>();
        List<String> warning = new ArrayList<>();
        int ok = 0;
        for (String line : out.split("\n")) {
            String[] f = line.split("\\|");
            if (f.length < 3) continue;
            String name = f[0].trim();
            String status = f[f.length - 1].trim();
            switch (status) {
                case "cr", "nr" -> critical.add(name + " " + f[1].trim() + " (" + status + ")");
                case "nc" -> warning.add(name + " " + f[1].trim() + " (nc)");
                case "ok" -> ok++;
                default -> { }
            }
        }
        if (!critical.isEmpty()) return new Sensors(PowerReading.Health.CRITICAL, "sensors critical: " + String.join(", ", critical));
        if (!warning.isEmpty()) return new Sensors(PowerReading.Health.WARNING, "sensors non-critical: " + String.join(", ", warning));
        if (ok > 0) return new Sensors(PowerReading.Health.OK, ok + " sensors ok");
        return new Sensors(PowerReading.Health.UNKNOWN, "no sensor readings");
    }

    /** The chassis reading with the sensors' health: the worse of the two, both details kept. */
    static PowerReading withSensors(PowerReading chassis, Sensors sensors) {
        PowerReading.Health h = chassis.health().compareTo(sensors.health()) >= 0 ? chassis.health() : sensors.health();
        return new PowerReading(chassis.power(), h, chassis.detail() + "; " + sensors.detail());
    }

    /** How ipmitool names the completion codes of a BMC that cannot take the command now. */
    private static final List<String> BUSY = List.of("Node busy", "BMC initialization in progress", "Cannot execute duplicated request");

    /** The kind of failure ipmitool reports (with {@code -v}): refused credentials, no answer, or another error. */
    static DriverException error(String output, Endpoint at, int cipher) {
        String o = output;
        if (o.contains("HMAC is invalid") || o.contains("unauthorized name") || o.contains("Invalid user name")
                || o.contains("invalid role")) {
            return new DriverException(Kind.AUTH, "BMC " + at + " refused the user name or password (" + reason(o) + ")");
        }
        if (o.contains("invalid authentication algorithm") || o.contains("invalid integrity algorithm") || o.contains("invalid confidentiality algorithm")) {
            return new DriverException(Kind.FAILED, "BMC " + at + " does not offer cipher suite " + cipher + " (" + reason(o) + ")");
        }
        if (o.contains("Get Auth Capabilities error") || o.contains("Get Channel Authentication Capabilities")
                || o.contains("No response")) {
            return new DriverException(Kind.UNREACHABLE, "no answer from BMC " + at + " (IPMI lanplus)");
        }
        // Completion codes of a BMC busy with something else (0xC0, 0xD2, 0xCF): ask again later, not at once.
        for (String busy : BUSY) {
            if (o.contains(busy)) return new DriverException(Kind.BUSY, "BMC " + at + " is busy: " + reason(o));
        }
        if (o.contains("Unable to establish")) return new DriverException(Kind.UNREACHABLE, "no IPMI session with BMC " + at + " (" + reason(o) + ")");
        return new DriverException(Kind.FAILED, "BMC " + at + ": " + reason(o));
    }

    /** Splits one failed reading into the stages it got through: an AUTH failure proves the BMC answered. */
    static void stages(DriverException e, Endpoint at, List<BmcCheck.Stage> stages) {
        switch (e.kind()) {
            case UNREACHABLE, TIMEOUT -> stages.add(BmcCheck.Stage.failed("reach", e));
            case AUTH -> {
                stages.add(BmcCheck.Stage.ok("reach", "IPMI lanplus at " + at + " answered"));
                stages.add(BmcCheck.Stage.failed("log in", e));
            }
            default -> {
                stages.add(BmcCheck.Stage.ok("reach", "IPMI lanplus at " + at + " answered"));
                stages.add(BmcCheck.Stage.ok("log in", "session opened"));
                stages.add(BmcCheck.Stage.failed("read power state", e));
            }
        }
    }

    /** The line that says what went wrong, without ipmitool's chatter: a session error's cause first. */
    private static String reason(String output) {
        String first = null;
        for (String line : output.split("\n")) {
            String l = line.replaceFirst("^>\\s*", "").trim();
            if (l.isEmpty() || l.startsWith("Loading IANA") || l.startsWith("Running Get VSO") || l.startsWith("Discovered IPMB")
                    || l.equals("Invalid completion code received: Invalid command")) continue;
            if (l.contains("HMAC") || l.contains("unauthorized") || l.contains("algorithm") || l.contains("Invalid user")) return l;
            if (first == null) first = l;
        }
        return first == null ? "no detail" : first;
    }
}
