package io.understudy.cli.launch;

import io.understudy.model.config.ConfigError;
import io.understudy.model.config.ConfigValidator;
import io.understudy.model.config.DataCenterConfig;
import io.understudy.state.config.ConfigLoader;
import io.understudy.state.ratis.RatisSettings;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code understudy server}: a control-plane node for the data center in a YAML file. */
@Command(name = "server", description = "Run a control-plane node for a data-center file: alone, or one of a Raft group of 3 or 5 (--node-id, --peers).")
public final class ServerCommand implements Callable<Integer> {
    @Mixin
    ServeOptions options;

    @Option(names = "--config", description = "data-center YAML file; without it the node keeps the configuration in its data dir")
    Path config;

    @Option(names = "--node-id", description = "this node's id in its Raft group (default: n1)")
    String nodeId;

    @Option(names = "--peers", paramLabel = "ID=HOST:PORT,...",
            description = "every member of the Raft group, this node included, at its Raft address; omit for a single node")
    String peers;

    @Option(names = "--tokens", description = "API tokens file shared by the group's nodes (created when missing; default: DATA_DIR/tokens.json)")
    Path tokens;

    @Option(names = ConfigValidator.SIMULATE_MISSING_AGENTS,
            description = "lab only: the embedded simulator plays the agent of every real-BMC server configured without one"
                    + " (its crash is then never seen); without it such a server is refused")
    boolean simulateMissingAgents;

    @Override
    public Integer call() throws Exception {
        if (options.speed == null) options.speed = 1.0;
        if (options.dataDir == null) {
            System.err.println("error: --data-dir: expected the directory for the Raft log and tokens");
            return 2;
        }
        List<RatisSettings.Peer> group;
        try {
            group = Peers.parse(peers, nodeId);
        } catch (IllegalArgumentException e) {
            System.err.println("error: " + e.getMessage());
            return 2;
        }
        if (group.size() % 2 == 0 && !group.isEmpty()) {
            System.err.println("warning: a group of " + group.size() + " tolerates no more failures than one of "
                    + (group.size() - 1) + "; 3 or 5 nodes are the usual sizes");
        }
        if (!group.isEmpty() && options.raftPort == null) {
            // This node's Raft port is the one its peers reach it at, unless --raft-port says otherwise.
            options.raftPort = group.stream().filter(p -> p.id().equals(nodeId)).findFirst().orElseThrow().port();
        }
        DataCenterConfig dc = config == null ? null : ConfigLoader.load(config);
        if (dc != null && !simulateMissingAgents) {
            // Refused before a Raft log is started: the same rule as `config check` (invariant 8).
            List<ConfigError> missing = ConfigValidator.agentsMissing(dc);
            if (!missing.isEmpty()) {
                System.err.println("error: " + config + ": " + missing.size() + " server(s) have a real BMC and no agent:");
                for (ConfigError e : missing) System.err.println("  " + config + ": " + e);
                return 2;
            }
        }
        return Serve.run(options, options.dataDir, dc, false, new Serve.Membership(nodeId == null ? "n1" : nodeId, group, tokens),
                simulateMissingAgents);
    }
}
