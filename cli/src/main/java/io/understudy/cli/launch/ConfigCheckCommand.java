package io.understudy.cli.launch;

import io.understudy.model.config.ConfigError;
import io.understudy.model.config.ConfigValidator;
import io.understudy.model.config.DataCenterConfig;
import io.understudy.state.config.ConfigException;
import io.understudy.state.config.ConfigLoader;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code understudy config check FILE}: validates a data-center file offline and lists every error. */
@Command(name = "check", description = "Validate a data-center file; exits 2 and lists every error found.")
public final class ConfigCheckCommand implements Callable<Integer> {
    @Parameters(paramLabel = "FILE")
    Path file;

    @Option(names = ConfigValidator.SIMULATE_MISSING_AGENTS,
            description = "check it for a lab whose server runs with the same option: the simulator may stand in for missing agents")
    boolean simulateMissingAgents;

    @Override
    public Integer call() {
        try {
            DataCenterConfig dc = ConfigLoader.load(file);
            // What `understudy server` would refuse at start, refused here too (invariant 8).
            List<ConfigError> missing = ConfigValidator.agentsMissing(dc);
            if (!missing.isEmpty() && !simulateMissingAgents) throw new ConfigException(file.toString(), missing);
            System.out.println(file + ": ok (" + dc.enclosures().size() + " enclosures, " + dc.servers().size() + " servers, "
                    + dc.groups().size() + " groups, " + dc.profiles().size() + " profiles)");
            if (!missing.isEmpty()) {
                System.out.println("  lab: the simulator would stand in for the agents of " + missing.size() + " real-BMC server(s) ("
                        + ConfigValidator.SIMULATE_MISSING_AGENTS + "); a crash of those servers is never seen");
            }
            return 0;
        } catch (ConfigException e) {
            System.err.println(e.source() + ": " + e.errors().size() + " error(s)");
            for (ConfigError err : e.errors()) System.err.println("  " + e.source() + ": " + err);
            return 2;
        }
    }
}
