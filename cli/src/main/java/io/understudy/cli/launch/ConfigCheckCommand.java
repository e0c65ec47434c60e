package io.understudy.cli.launch;

import io.understudy.model.config.ConfigError;
import io.understudy.model.config.DataCenterConfig;
import io.understudy.state.config.ConfigException;
import io.understudy.state.config.ConfigLoader;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code understudy config check FILE}: validates a data-center file offline and lists every error. */
@Command(name = "check", description = "Validate a data-center file; exits 2 and lists every error found.")
public final class ConfigCheckCommand implements Callable<Integer> {
    @Parameters(paramLabel = "FILE")
    Path file;

    @Override
    public Integer call() {
        try {
            DataCenterConfig dc = ConfigLoader.load(file);
            System.out.println(file + ": ok (" + dc.enclosures().size() + " enclosures, " + dc.servers().size() + " servers, "
                    + dc.groups().size() + " groups, " + dc.profiles().size() + " profiles)");
            return 0;
        } catch (ConfigException e) {
            System.err.println(e.source() + ": " + e.errors().size() + " error(s)");
            for (ConfigError err : e.errors()) System.err.println("  " + e.source() + ": " + err);
            return 2;
        }
    }
}
