package io.understudy.cli.launch;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.understudy.model.config.ConfigError;
import io.understudy.model.config.ConfigValidator;
import io.understudy.model.config.DataCenterConfig;
import io.understudy.state.Json;
import io.understudy.state.config.ConfigException;
import io.understudy.state.config.ConfigLoader;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code understudy config check FILE}: validates a data-center file offline and lists every error. */
@Command(name = "check", description = "Validate a data-center file; exits 2 and lists every error found.")
public final class ConfigCheckCommand implements Callable<Integer> {
    public enum Output { text, json }

    @Parameters(paramLabel = "FILE", description = "the data-center YAML file")
    Path file;

    @Option(names = {"-o", "--output"}, paramLabel = "FORMAT", defaultValue = "text",
            description = "Output format: ${COMPLETION-CANDIDATES} (json: {file, ok, counts} or {file, ok, errors[]}, errors too).")
    Output output;

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Option(names = ConfigValidator.SIMULATE_MISSING_AGENTS,
            description = "check it for a lab whose server runs with the same option: the simulator may stand in for missing agents")
    boolean simulateMissingAgents;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        boolean json = output == Output.json;
        try {
            DataCenterConfig dc = ConfigLoader.load(file);
            // What `understudy server` would refuse at start, refused here too (invariant 8).
            List<ConfigError> missing = ConfigValidator.agentsMissing(dc);
            if (!missing.isEmpty() && !simulateMissingAgents) throw new ConfigException(file.toString(), missing);
            if (json) {
                ObjectNode n = Json.MAPPER.createObjectNode().put("file", file.toString()).put("ok", true)
                        .put("enclosures", dc.enclosures().size()).put("servers", dc.servers().size())
                        .put("groups", dc.groups().size()).put("profiles", dc.profiles().size())
                        .put("simulatedAgents", missing.size());
                out.println(n.toPrettyString());
            } else {
                out.println(file + ": ok (" + dc.enclosures().size() + " enclosures, " + dc.servers().size() + " servers, "
                        + dc.groups().size() + " groups, " + dc.profiles().size() + " profiles)");
                if (!missing.isEmpty()) {
                    out.println("  lab: the simulator would stand in for the agents of " + missing.size() + " real-BMC server(s) ("
                            + ConfigValidator.SIMULATE_MISSING_AGENTS + "); a crash of those servers is never seen");
                }
            }
            out.flush();
            return 0;
        } catch (ConfigException e) {
            if (json) {
                ObjectNode n = Json.MAPPER.createObjectNode().put("file", e.source()).put("ok", false);
                ArrayNode errors = n.putArray("errors");
                for (ConfigError c : e.errors()) errors.addObject().put("field", c.path()).put("message", c.message());
                out.println(n.toPrettyString());
                out.flush();
            } else {
                err.println(e.source() + ": " + e.errors().size() + " error(s)");
                for (ConfigError c : e.errors()) err.println("  " + e.source() + ": " + c);
                err.flush();
            }
            return 2;
        }
    }
}
