package io.understudy.cli.launch;

import io.understudy.cli.client.ClientConfig;
import io.understudy.model.config.ConfigValidator;
import io.understudy.model.config.DataCenterConfig;
import io.understudy.server.Node;
import io.understudy.server.Tokens;
import io.understudy.sim.SimTimings;
import io.understudy.state.ratis.RatisSettings;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CountDownLatch;

/** Starts a node, prints how to reach it, writes the client config, and runs until the process is stopped. */
final class Serve {
    private Serve() {}

    /** Who this node is in its group; a single node has no peers. */
    record Membership(String nodeId, List<RatisSettings.Peer> peers, Path tokensFile) {
        static final Membership SINGLE = new Membership("n1", List.of(), null);
    }

    static int run(ServeOptions o, Path dataDir, DataCenterConfig config, boolean demo) throws Exception {
        return run(o, dataDir, config, demo, Membership.SINGLE, false);
    }

    /** @param simulateMissingAgents a lab's opt-in: the simulator plays the agents real-BMC servers lack (printed at start) */
    static int run(ServeOptions o, Path dataDir, DataCenterConfig config, boolean demo, Membership m, boolean simulateMissingAgents)
            throws Exception {
        for (var port : java.util.Map.of("--port", o.port, "--raft-port", o.raftPort()).entrySet()) {
            if (port.getValue() < 0 || port.getValue() > 65535) {
                System.err.println("error: " + port.getKey() + ": expected a port 0-65535, got " + port.getValue());
                return 2;
            }
        }
        if (o.speed <= 0) {
            System.err.println("error: --speed: expected a positive number, got " + o.speed);
            return 2;
        }
        String taken = PortCheck.firstTaken(o.bind, List.of(
                new PortCheck.Need("--port", o.port, "the HTTP API"),
                new PortCheck.Need("--raft-port", o.raftPort(), o.raftPort == null
                        ? "the Raft port, by default the HTTP port + 1" : "the Raft port")));
        if (taken != null) {
            System.err.println("error: " + taken);
            return 2;
        }
        Path tokensFile = m.tokensFile() != null ? m.tokensFile() : dataDir.resolve("tokens.json");
        boolean newTokens = !java.nio.file.Files.exists(tokensFile);
        Node node = new Node(new Node.Settings(dataDir, o.bind, o.port, o.raftPort(), config, o.speed, SimTimings.DEFAULTS,
                m.nodeId(), m.peers(), m.tokensFile(), simulateMissingAgents));
        String url = "http://" + (o.bind.equals("0.0.0.0") ? "127.0.0.1" : o.bind) + ":" + node.port();
        String admin = node.tokens().first(Tokens.Role.ADMIN).token();
        Path clientConfig = ClientConfig.defaultFile(System.getenv());
        // A member of a group does not know its peers' API URLs, so it leaves the client config to the operator.
        if (m.peers().isEmpty()) ClientConfig.write(clientConfig, List.of(url), admin);
        System.out.println("understudy " + (demo ? "demo" : "server") + " running" + (m.peers().isEmpty() ? ""
                : " as node " + m.nodeId() + " of " + m.peers().stream().map(RatisSettings.Peer::id).toList()));
        System.out.println("  API:          " + url + "/api/v1   (metrics: " + url + "/metrics)");
        // The admin token is a secret: printed once, when it is made; afterwards the tokens file holds it.
        if (newTokens) System.out.println("  admin token:  " + admin + "   (printed once; kept in the tokens file)");
        System.out.println("  tokens:       " + tokensFile + " (admin, operator, viewer)");
        System.out.println("  data dir:     " + dataDir);
        if (m.peers().isEmpty()) System.out.println("  client config written to " + clientConfig + ": try `./understudy servers`");
        else System.out.println("  try `./understudy --url URL1,URL2,URL3 cluster status` with every node's API URL");
        if (simulateMissingAgents) {
            System.out.println("  LAB MODE (" + ConfigValidator.SIMULATE_MISSING_AGENTS + "): the simulator plays the agent of "
                    + node.standIns() + "; a crash of those servers is never seen (`./understudy servers` shows SIMULATED)");
        }
        if (demo) System.out.println("  simulated time runs " + o.speed + "x; try `./understudy sim fail dl-1 --mode crash` then `./understudy jobs`");
        System.out.flush();
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            node.close();
            stopped.countDown();
        }));
        stopped.await();
        return 0;
    }
}
