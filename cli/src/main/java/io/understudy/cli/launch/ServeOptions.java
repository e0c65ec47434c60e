package io.understudy.cli.launch;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/** Options shared by {@code server} and {@code demo}. */
public final class ServeOptions {
    @Option(names = "--port", description = "HTTP port of the API (default: ${DEFAULT-VALUE})", defaultValue = "8080")
    int port;

    @Option(names = "--bind", description = "address to listen on (default: ${DEFAULT-VALUE}, loopback only)", defaultValue = "127.0.0.1")
    String bind;

    @Option(names = "--raft-port", description = "Raft port of this node (default: HTTP port + 1)")
    Integer raftPort;

    @Option(names = "--speed", description = "how much faster than the wall clock the simulated data center runs (default: ${DEFAULT-VALUE})")
    double speed;

    @Option(names = "--data-dir", description = "where the Raft log, snapshots and tokens live")
    Path dataDir;

    int raftPort() {
        return raftPort != null ? raftPort : port + 1;
    }

    static void check(int port, String name) {
        if (port < 0 || port > 65535) throw new picocli.CommandLine.ParameterException(new picocli.CommandLine(new Object()),
                name + ": expected a port 0-65535, got " + port);
    }
}
