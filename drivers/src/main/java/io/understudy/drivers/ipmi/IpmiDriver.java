package io.understudy.drivers.ipmi;

import io.understudy.drivers.BmcCheck;
import io.understudy.drivers.CallContext;
import io.understudy.drivers.Credentials;
import io.understudy.drivers.DriverException;
import io.understudy.drivers.DriverException.Kind;
import io.understudy.drivers.Endpoint;
import io.understudy.drivers.PowerDriver;
import io.understudy.drivers.PowerReading;
import io.understudy.drivers.process.ProcessRunner;
import io.understudy.drivers.process.Tools;
import io.understudy.model.config.Bmc;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Power control of one server through its BMC over IPMI 2.0 (lanplus) with {@code ipmitool}: the password goes in
 * through the {@code IPMI_PASSWORD} environment variable ({@code -E}), never the command line; the cipher suite is
 * always given (never 0, which accepts any password); each attempt is bounded and an unanswered one is retried.
 */
public final class IpmiDriver implements PowerDriver {
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);
    public static final int DEFAULT_CIPHER_SUITE = 3;

    private final Bmc bmc;
    private final Endpoint endpoint;
    private final int cipher;
    private final Duration timeout;
    private final int retries;

    public IpmiDriver(Bmc bmc) throws DriverException {
        this.bmc = bmc;
        this.endpoint = Endpoint.parse(bmc.endpoint(), 623);
        this.cipher = bmc.cipherSuiteOr(DEFAULT_CIPHER_SUITE);
        if (cipher == 0) throw new DriverException(Kind.REFUSED, "IPMI cipher suite 0 accepts any password; refusing to use it");
        this.timeout = bmc.timeoutOr(DEFAULT_TIMEOUT);
        this.retries = bmc.retriesOr(1);
    }

    @Override
    public void powerOff(String server, CallContext ctx) throws DriverException {
        control(server, "off", ctx);
    }

    @Override
    public void powerOn(String server, CallContext ctx) throws DriverException {
        control(server, "on", ctx);
    }

    /**
     * {@code chassis power on|off|cycle|soft}, ordered once (a busy BMC is not asked again here); an order the BMC
     * rejects or is too busy for, but whose result is already there, succeeds.
     */
    public void control(String server, String action, CallContext ctx) throws DriverException {
        if (!List.of("on", "off", "cycle", "soft").contains(action)) throw new IllegalArgumentException(action);
        try {
            String out = ipmitool(List.of("chassis", "power", action));
            if (!out.toLowerCase().contains("chassis power control")) throw new DriverException(Kind.FAILED, "unexpected answer to power " + action + ": " + firstLine(out));
        } catch (DriverException e) {
            if (e.kind() != Kind.FAILED && e.kind() != Kind.BUSY || !(action.equals("on") || action.equals("off"))) throw e;
            PowerReading r = read(server, ctx);
            if (!r.power().name().equalsIgnoreCase(action)) throw e;
        }
    }

    /**
     * Power from {@code chassis status}; outside a job (the detector's probes, {@code bmc check}) health from the
     * sensors too ({@code sdr list}), since chassis status alone measures no health. A job reads power only: a sensor
     * sweep can take seconds on some BMCs, and a fence's read-back must not wait for it.
     */
    @Override
    public PowerReading read(String server, CallContext ctx) throws DriverException {
        PowerReading chassis = IpmiOutput.chassisStatus(server, ipmitool(List.of("chassis", "status")));
        if (ctx.job() != null) return chassis;
        IpmiOutput.Sensors sensors;
        try {
            sensors = IpmiOutput.sensors(ipmitool(List.of("sdr", "list")));
        } catch (DriverException e) {
            sensors = new IpmiOutput.Sensors(PowerReading.Health.UNKNOWN, "sensors unread: " + e.getMessage());
        }
        return IpmiOutput.withSensors(chassis, sensors);
    }

    @Override
    public BmcCheck check(String server, CallContext ctx) {
        List<BmcCheck.Stage> stages = new ArrayList<>();
        try {
            PowerReading r = read(server, ctx);
            stages.add(BmcCheck.Stage.ok("reach", "IPMI lanplus at " + endpoint + " answered"));
            stages.add(BmcCheck.Stage.ok("log in", "RMCP+ session as user '" + bmc.username() + "' with cipher suite " + cipher));
            stages.add(BmcCheck.Stage.ok("read power state", BmcCheck.describe(r)));
        } catch (DriverException e) {
            IpmiOutput.stages(e, endpoint, stages);
        }
        return new BmcCheck(stages);
    }

    /** Runs ipmitool, retrying attempts that got no answer; returns its standard output. */
    private String ipmitool(List<String> command) throws DriverException {
        String tool = Tools.find("ipmitool").map(Object::toString)
                .orElseThrow(() -> new DriverException(Kind.FAILED, "ipmitool is not installed (Debian package ipmitool)"));
        Credentials c = Credentials.of(bmc);
        // -v only makes ipmitool say why a session failed (bad password vs no answer); -N/-R bound each attempt.
        List<String> args = new ArrayList<>(List.of(tool, "-I", "lanplus", "-H", endpoint.host(), "-p", Integer.toString(endpoint.port()),
                "-U", c.username(), "-E", "-C", Integer.toString(cipher), "-N", "1", "-R", "1", "-v"));
        args.addAll(command);
        DriverException last = null;
        for (int attempt = 0; attempt <= retries; attempt++) {
            try {
                ProcessRunner.Result r = ProcessRunner.run(args, Map.of("IPMI_PASSWORD", c.password()), null, timeout);
                if (r.exit() == 0) return r.stdout();
                last = IpmiOutput.error(c.redact(r.stderr() + "\n" + r.stdout()), endpoint, cipher);
            } catch (ProcessRunner.TimedOut e) {
                last = new DriverException(Kind.TIMEOUT, "ipmitool " + String.join(" ", command) + " at " + endpoint + " " + e.getMessage());
            } catch (IOException e) {
                throw new DriverException(Kind.FAILED, "cannot run ipmitool: " + c.redact(e.getMessage()));
            }
            if (last.kind() != Kind.UNREACHABLE && last.kind() != Kind.TIMEOUT) throw last;
        }
        throw last;
    }

    private static String firstLine(String s) {
        String t = s.strip();
        int nl = t.indexOf('\n');
        return nl < 0 ? t : t.substring(0, nl);
    }
}
