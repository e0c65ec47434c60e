package io.understudy.cli.commands;

import com.fasterxml.jackson.databind.JsonNode;
import io.understudy.cli.client.ApiClient;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;

/** {@code understudy sim ...}: inject and repair faults in the simulated data center (the demo). */
@Command(name = "sim", description = "Inject or repair faults in the simulated data center.",
        subcommands = {SimCommand.Fail.class, SimCommand.Repair.class, SimCommand.Servers.class})
public class SimCommand {
    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help and exit.")
    boolean help;

    static final List<String> MODES = List.of("crash", "hang", "power-loss", "bmc-down", "hw-event", "stuck-power");

    /** {@code sim fail SERVER --mode MODE}. */
    @Command(name = "fail", description = "Make a simulated server fail (operator).")
    public static class Fail extends ClientCommand {
        @Parameters(index = "0", paramLabel = "SERVER", description = "Server id.")
        String server;

        // Validated by hand because the wire names have hyphens that an enum cannot carry.
        @Option(names = "--mode", required = true, paramLabel = "MODE", completionCandidates = Modes.class,
                description = "One of: ${COMPLETION-CANDIDATES}.")
        String mode;

        @Override
        protected void validate() {
            if (!MODES.contains(mode)) {
                throw new ParameterException(options.spec().commandLine(),
                        "sim fail: invalid value '" + mode + "' for --mode: expected one of " + String.join(", ", MODES));
            }
        }

        @Override
        protected int run(ApiClient api) {
            var answer = api.post("/api/v1/sim/servers/" + ApiClient.segment(server) + "/fail", Map.of("mode", mode));
            options.printMessage(answer, "server " + server + ": " + mode + " injected");
            return Exit.OK;
        }
    }

    /** {@code sim repair SERVER [--wait]}. */
    @Command(name = "repair", description = "Repair a simulated server (operator).")
    public static class Repair extends ClientCommand {
        @Parameters(index = "0", paramLabel = "SERVER", description = "Server id.")
        String server;

        @Option(names = "--wait", description = "Wait until the control plane sees the server running (or off, for a cold spare); "
                + "exit 1 if it does not within --timeout. So a fallback typed next finds its home running.")
        boolean await;

        @picocli.CommandLine.Mixin
        WaitOptions waiting;

        @Override
        protected int run(ApiClient api) throws InterruptedException {
            var answer = api.post("/api/v1/sim/servers/" + ApiClient.segment(server) + "/repair", null);
            options.printMessage(answer, "server " + server + " repaired");
            if (!await) return Exit.OK;
            long deadline = System.nanoTime() + waiting.timeout.toNanos();
            String state = "unknown";
            while (System.nanoTime() < deadline) {
                for (JsonNode s : api.get("/api/v1/servers")) {
                    if (server.equals(Views.str(s, "id"))) state = Views.str(s, "state");
                }
                if (state.equals("running") || state.equals("off")) {
                    if (!options.json()) options.out().println("server " + server + " is " + state);
                    options.out().flush();
                    return Exit.OK;
                }
                Thread.sleep(waiting.pollInterval.toMillis());
            }
            return fail(Exit.FAILED, "server " + server + " still " + state + " after " + io.understudy.state.Durations.format(waiting.timeout));
        }
    }

    /** {@code sim servers}: the simulator's view: power state, injected faults, identity, workload. */
    @Command(name = "servers", description = "List simulated servers with their faults.")
    public static class Servers extends ClientCommand {
        @Override
        protected int run(ApiClient api) {
            JsonNode servers = api.get("/api/v1/sim/servers");
            if (options.json()) {
                options.printJson(servers);
                return Exit.OK;
            }
            Table t = new Table("ID", "STATE", "FAULTS", "IDENTITY", "WORKLOAD");
            for (JsonNode s : servers) {
                JsonNode running = s.get("workloadRunning");
                String workload = running == null || running.isNull() ? "-" : running.asBoolean() ? "running" : "stopped";
                t.row(Views.str(s, "id"), Views.str(s, "state"), Views.str(s, "faults"), Views.str(s, "identity"), workload);
            }
            if (t.isEmpty()) options.out().println("no simulated servers");
            else t.print(options.out());
            options.out().flush();
            return Exit.OK;
        }
    }

    /** The --mode values, for help and shell completion. */
    static final class Modes implements Iterable<String> {
        @Override
        public java.util.Iterator<String> iterator() {
            return MODES.iterator();
        }
    }
}
