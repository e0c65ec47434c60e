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

    @Option(names = "--speed", description = "how much faster than the wall clock the simulated data center runs (demo: 10, server: 1)")
    Double speed;

    @Option(names = "--data-dir", description = "where the Raft log, snapshots and tokens live")
    Path dataDir;

    int raftPort() {
        return raftPort != null ? raftPort : port + 1;
    }
}
