package io.understudy.drivers.fence;

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
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Power control through any installed Pacemaker fence agent ({@code fence_ipmilan}, {@code fence_redfish},
 * {@code fence_apc}, …), run the way Pacemaker's fencer runs it: options as {@code name=value} lines on standard
 * input (so the password is never on a command line), {@code action=} always given (an agent's default is reboot),
 * exit codes read as the fence-agent API defines them, and the agent killed when it overruns its time.
 * What an agent then does with the password is its own affair: Debian's fence_ipmilan, for one, hands it to
 * ipmitool as {@code -P}, where {@code ps} shows it for the length of each call — prefer the {@code ipmi} driver
 * (which passes it through the environment) where that matters.
 */
public final class FenceAgentDriver implements PowerDriver {
    /** Above an agent's own default power_timeout (20 s) plus power_wait, so the agent reports its own timeouts. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(60);

    private final Bmc bmc;
    private final String agent;

    public FenceAgentDriver(Bmc bmc) throws DriverException {
        this.bmc = bmc;
        this.agent = bmc.agent();
        if (agent == null || !agent.matches("fence_[a-z0-9_]+")) throw new DriverException(Kind.FAILED, "expected a fence agent name like fence_ipmilan, got '" + agent + "'");
    }

    @Override
    public void powerOff(String server, CallContext ctx) throws DriverException {
        act(server, "off");
    }

    @Override
    public void powerOn(String server, CallContext ctx) throws DriverException {
        act(server, "on");
    }

    private void act(String server, String action) throws DriverException {
        FenceAgentOutput.Run r = run(action);
        if (r.exit() != 0) throw FenceAgentOutput.error(agent, action, r.text());
    }

    @Override
    public PowerReading read(String server, CallContext ctx) throws DriverException {
        FenceAgentOutput.Run r = run("status");
        return FenceAgentOutput.status(agent, server, r.exit(), r.stdout(), r.text());
    }

    @Override
    public BmcCheck check(String server, CallContext ctx) {
        List<BmcCheck.Stage> stages = new ArrayList<>();
        try {
            PowerReading r = read(server, ctx);
            stages.add(BmcCheck.Stage.ok("reach", agent + " reached " + (bmc.endpoint() == null ? "its device" : bmc.endpoint())));
            stages.add(BmcCheck.Stage.ok("log in", agent + " logged in as user '" + (bmc.username() == null ? "" : bmc.username()) + "'"));
            stages.add(BmcCheck.Stage.ok("read power state", BmcCheck.describe(r)));
        } catch (DriverException e) {
            switch (e.kind()) {
                case UNREACHABLE, TIMEOUT -> stages.add(BmcCheck.Stage.failed("reach", e));
                case AUTH -> {
                    stages.add(BmcCheck.Stage.ok("reach", agent + " reached its device"));
                    stages.add(BmcCheck.Stage.failed("log in", e));
                }
                default -> {
                    if (e.getMessage().contains("not installed")) {
                        stages.add(BmcCheck.Stage.failed("reach", e));
                    } else {
                        stages.add(BmcCheck.Stage.ok("reach", agent + " ran"));
                        stages.add(BmcCheck.Stage.failed("read power state", e));
                    }
                }
            }
        }
        return new BmcCheck(stages);
    }

    /** The agent's standard input: what Pacemaker's fencer would write, understudy's settings first. */
    String stdin(String action, Credentials c) throws DriverException {
        StringBuilder in = new StringBuilder();
        line(in, "action", action);
        if (bmc.endpoint() != null && !bmc.endpoint().isBlank()) {
            Endpoint e = Endpoint.parse(bmc.endpoint(), -1);
            line(in, "ip", e.host());
            if (e.port() > 0) line(in, "ipport", Integer.toString(e.port()));
        }
        if (!c.username().isEmpty()) line(in, "username", c.username());
        if (!c.password().isEmpty()) line(in, "password", c.password());
        if (bmc.cipherSuite() != null && !bmc.options().containsKey("cipher")) line(in, "cipher", bmc.cipherSuite().toString());
        // verbose lets us tell refused credentials from silence (fence_ipmilan passes -v on to ipmitool at level 2).
        if (!bmc.options().containsKey("verbose")) line(in, "verbose", "1");
        if (!bmc.options().containsKey("verbose_level")) line(in, "verbose_level", "2");
        for (Map.Entry<String, String> o : bmc.options().entrySet()) line(in, o.getKey(), o.getValue());
        return in.toString();
    }

    private static void line(StringBuilder in, String key, String value) throws DriverException {
        if (value.contains("\n") || value.contains("\r")) throw new DriverException(Kind.FAILED, "fence agent option " + key + " spans lines");
        in.append(key).append('=').append(value).append('\n');
    }

    private FenceAgentOutput.Run run(String action) throws DriverException {
        Path path = Tools.find(agent).orElseThrow(() -> new DriverException(Kind.FAILED,
                "fence agent " + agent + " is not installed (Debian package fence-agents)"));
        Credentials c = Credentials.of(bmc);
        String input = stdin(action, c);
        Duration timeout = bmc.timeoutOr(DEFAULT_TIMEOUT);
        DriverException last = null;
        for (int attempt = 0; attempt <= bmc.retriesOr(0); attempt++) {
            try {
                ProcessRunner.Result r = ProcessRunner.run(List.of(path.toString()), Map.of(), input, timeout);
                FenceAgentOutput.Run run = new FenceAgentOutput.Run(r.exit(), c.redact(r.stdout()), c.redact(r.stderr() + "\n" + r.stdout()));
                if (r.exit() == 0 || action.equals("status") && r.exit() == 2) return run;
                last = FenceAgentOutput.error(agent, action, run.text());
            } catch (ProcessRunner.TimedOut e) {
                last = new DriverException(Kind.TIMEOUT, agent + " action=" + action + " " + e.getMessage());
            } catch (IOException e) {
                throw new DriverException(Kind.FAILED, "cannot run " + agent + ": " + c.redact(e.getMessage()));
            }
            if (last.kind() != Kind.UNREACHABLE && last.kind() != Kind.TIMEOUT) break;
        }
        throw last;
    }
}
