package io.understudy.cli.launch;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.understudy.drivers.BmcCheck;
import io.understudy.drivers.CallContext;
import io.understudy.drivers.DriverException;
import io.understudy.drivers.DriverFactory;
import io.understudy.drivers.PowerDriver;
import io.understudy.model.config.Bmc;
import io.understudy.model.config.ConfigError;
import io.understudy.model.config.DataCenterConfig;
import io.understudy.model.config.ServerSpec;
import io.understudy.state.Json;
import io.understudy.state.config.ConfigException;
import io.understudy.state.config.ConfigLoader;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code understudy bmc check SERVER --config dc.yaml}: tries a server's BMC driver from this machine, stage by stage. */
@Command(name = "bmc", description = "Check servers' BMCs.", subcommands = BmcCommand.Check.class,
        mixinStandardHelpOptions = true, version = "understudy 0.1.0")
public final class BmcCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getErr());
    }

    /** The check itself: reach, log in, read the power state; changes nothing on the BMC. */
    @Command(name = "check", mixinStandardHelpOptions = true, version = "understudy 0.1.0",
            description = {"Try a server's BMC as configured: reach it, log in, read its power state; say exactly what failed.",
                    "Runs here, without a server; changes nothing. Exit 0 when every stage passed, 1 when one failed, 2 for a bad file or server."})
    static final class Check implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Parameters(paramLabel = "SERVER", description = "The server id in the data-center file.")
        String server;

        @Option(names = "--config", required = true, paramLabel = "FILE", description = "The data-center file (YAML).")
        Path config;

        @Option(names = {"-o", "--output"}, paramLabel = "FORMAT", defaultValue = "text", description = "Output format: text or json.")
        String output;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            PrintWriter err = spec.commandLine().getErr();
            DataCenterConfig dc;
            try {
                dc = ConfigLoader.load(config);
            } catch (ConfigException e) {
                err.println(e.source() + ": " + e.errors().size() + " error(s)");
                for (ConfigError c : e.errors()) err.println("  " + e.source() + ": " + c);
                return 2;
            }
            ServerSpec s = dc.server(server).orElse(null);
            if (s == null) {
                err.println("no server '" + server + "' in " + config + " (servers: " + dc.servers().stream().map(ServerSpec::id).toList() + ")");
                return 2;
            }
            Bmc bmc = s.bmc();
            if (bmc.driver().equals("sim")) {
                out.println(server + ": BMC driver 'sim' is the simulator inside understudy; there is no BMC to check from here.");
                return 0;
            }
            BmcCheck check;
            try {
                PowerDriver driver = DriverFactory.power(dc, server, null);
                check = driver.check(server, CallContext.probe(0));
            } catch (DriverException e) {
                check = new BmcCheck(java.util.List.of(BmcCheck.Stage.failed("configure driver", e)));
            }
            if ("json".equals(output)) {
                ObjectNode n = Json.MAPPER.createObjectNode().put("server", server).put("driver", bmc.driver())
                        .put("endpoint", bmc.endpoint()).put("ok", check.ok());
                var stages = n.putArray("stages");
                for (BmcCheck.Stage st : check.stages()) {
                    stages.addObject().put("stage", st.name()).put("ok", st.ok())
                            .put("kind", st.kind() == null ? null : st.kind().name().toLowerCase()).put("detail", st.detail());
                }
                out.println(n.toPrettyString());
            } else {
                out.println("bmc check " + server + " (" + bmc.driver() + (bmc.agent() == null ? "" : " " + bmc.agent())
                        + (bmc.endpoint() == null ? "" : " " + bmc.endpoint()) + ")");
                for (BmcCheck.Stage st : check.stages()) {
                    out.printf("  %-17s %-7s %s%n", st.name(), st.ok() ? "ok" : "FAILED", st.detail());
                }
                out.println(check.ok() ? "ok: " + server + "'s BMC answers, accepts the credentials and reports its power state"
                        : "failed: " + check.stages().get(check.stages().size() - 1).name());
            }
            out.flush();
            return check.ok() ? 0 : 1;
        }
    }
}
