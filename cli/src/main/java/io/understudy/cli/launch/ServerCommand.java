package io.understudy.cli.launch;

import io.understudy.model.config.DataCenterConfig;
import io.understudy.state.config.ConfigLoader;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code understudy server}: a control-plane node for the data center in a YAML file. */
@Command(name = "server", description = "Run a control-plane node for a data-center file (simulated hardware for now).")
public final class ServerCommand implements Callable<Integer> {
    @Mixin
    ServeOptions options;

    @Option(names = "--config", description = "data-center YAML file; without it the node keeps the configuration in its data dir")
    Path config;

    @Override
    public Integer call() throws Exception {
        if (options.speed == null) options.speed = 1.0;
        if (options.dataDir == null) {
            System.err.println("error: --data-dir: expected the directory for the Raft log and tokens");
            return 2;
        }
        DataCenterConfig dc = config == null ? null : ConfigLoader.load(config);
        return Serve.run(options, options.dataDir, dc, false);
    }
}
