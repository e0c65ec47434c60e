package io.understudy.server;

import io.understudy.drivers.DriverFactory;
import io.understudy.drivers.Drivers;
import io.understudy.engine.Engine;
import io.understudy.engine.EngineSettings;
import io.understudy.model.config.ConfigError;
import io.understudy.model.config.ConfigValidator;
import io.understudy.model.config.DataCenterConfig;
import io.understudy.sim.SimDataCenter;
import io.understudy.sim.SimTimings;
import io.understudy.state.ClusterState;
import io.understudy.state.ProfileRecord;
import io.understudy.state.Result;
import io.understudy.state.StateStore;
import io.understudy.state.command.ApplyConfig;
import io.understudy.state.ratis.RatisSettings;
import io.understudy.state.ratis.RatisStateStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.Stream;

/**
 * One control-plane node: the replicated state (Raft, log in the data directory; alone or one of a group), the
 * engine, the HTTP API with the agents' intake, and the embedded simulator when some servers are simulated — wired
 * together and closed in reverse order.
 */
public final class Node implements AutoCloseable {

    /**
     * @param config the data center to apply at start, or null to keep the one in the state
     * @param speed how much faster than the wall clock the simulated data center runs
     * @param nodeId this node's id in its Raft group
     * @param peers every member of the group, this node included, at their Raft addresses; empty for a single node
     * @param tokensFile the API tokens, shared by the nodes of a group; null for {@code tokens.json} in the data dir
     * @param simulateMissingAgents a lab's explicit opt-in: the simulator plays the agent of a real-BMC server
     *        configured without one; otherwise such a server is refused (invariant 8)
     */
    public record Settings(Path dataDir, String bind, int httpPort, int raftPort, DataCenterConfig config, double speed,
                           SimTimings timings, String nodeId, List<RatisSettings.Peer> peers, Path tokensFile,
                           boolean simulateMissingAgents) {
        public Settings {
            if (nodeId == null) nodeId = "n1";
            peers = peers == null ? List.of() : List.copyOf(peers);
        }

        /** A single node with its tokens in its data directory. */
        public Settings(Path dataDir, String bind, int httpPort, int raftPort, DataCenterConfig config, double speed, SimTimings timings) {
            this(dataDir, bind, httpPort, raftPort, config, speed, timings, "n1", List.of(), null, false);
        }

        /** The same settings with the lab's stand-in agents switched on or off. */
        public Settings simulatingMissingAgents(boolean on) {
            return new Settings(dataDir, bind, httpPort, raftPort, config, speed, timings, nodeId, peers, tokensFile, on);
        }

        RatisSettings raft() {
            if (peers.isEmpty()) return RatisSettings.singleNode(nodeId, dataDir, raftPort);
            return new RatisSettings(nodeId, peers, dataDir, raftPort, RatisSettings.DEFAULT_REQUEST_TIMEOUT,
                    RatisSettings.DEFAULT_SNAPSHOT_THRESHOLD);
        }
    }

    /** One attempt at the catch-up barrier; a slow replay or an election simply takes more attempts. */
    private static final java.time.Duration CATCH_UP_ATTEMPT = java.time.Duration.ofSeconds(10);
    /** How long a node waits to catch up before its start fails (a group without quorum for that long). */
    static final java.time.Duration CATCH_UP_LIMIT = java.time.Duration.ofMinutes(10);
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(Node.class);

    /** How long a member of a group waits at start for a leader to commit (or hand it) the configuration. */
    private static final java.time.Duration JOIN_TIMEOUT = java.time.Duration.ofSeconds(60);

    private final StateStore store;
    private final ScaledScheduler scheduler;
    private ClockMark clockMark;
    private ChangeLog changes;
    private final SimDataCenter sim;
    /** Whether this node was started as a lab whose simulator plays the agents real-BMC servers lack. */
    private final boolean simulateMissingAgents;
    private final Engine engine;
    private final Api api;
    private final ExecutorService steps = Executors.newFixedThreadPool(4, r -> {
        Thread t = new Thread(r, "understudy-step");
        t.setDaemon(true);
        return t;
    });
    /** The detector's BMC probes: off the engine's tick, apart from job steps, so one hung BMC stalls neither. */
    private final ExecutorService probes = Executors.newFixedThreadPool(2, r -> {
        Thread t = new Thread(r, "understudy-probe");
        t.setDaemon(true);
        return t;
    });
    /** Hook commands and webhook POSTs: apart from steps and probes, so a slow receiver delays neither. */
    private final ExecutorService hooks = Executors.newFixedThreadPool(2, r -> {
        Thread t = new Thread(r, "understudy-hook");
        t.setDaemon(true);
        return t;
    });
    private final Tokens tokens;
    /** Redfish BMC alerts pushed to this node (HTTP port + 2), or null when no server speaks Redfish. */
    private io.understudy.drivers.redfish.RedfishEventSubscriptions events;
    /** The lockstep pairs' arbiters this node runs (profiles whose pairArbiter is on this machine). */
    private PairArbiters arbiters;
    /** The embedded simulator's lockstep pairs, run with real members (null without a simulator). */
    private SimPairs simPairs;

    public Node(Settings settings) throws IOException {
        // Refused before anything is committed: a configuration this node will not run must not reach the group.
        if (settings.config() != null) refuseMissingAgents(settings.config(), settings);
        simulateMissingAgents = settings.simulateMissingAgents();
        Files.createDirectories(settings.dataDir());
        tokens = settings.tokensFile() == null ? Tokens.loadOrCreate(settings.dataDir()) : Tokens.loadOrCreateFile(settings.tokensFile());
        store = RatisStateStore.start(settings.raft());
        try {
            // Invariant 7: the clock's origin, the simulator's placement and power, the engine and the API all read
            // the state, so none of them may start before this node has applied its whole committed log.
            catchUp(settings);
            DataCenterConfig config = joinWithConfig(settings);
            refuseMissingAgents(config, settings);
            clockMark = new ClockMark(settings.dataDir());
            scheduler = new ScaledScheduler(settings.speed(), origin());
            clockMark.keep(scheduler, settings.speed());
            // Invariant 8: the simulator plays only what the operator named (a sim BMC, a lab's stand-in agents).
            boolean simulated = config.servers().stream().anyMatch(s -> DriverFactory.simulated(s, simulateMissingAgents).any());
            sim = simulated ? new SimDataCenter(config, scheduler, settings.timings()) : null;
            if (sim != null) sim.adopt(placement(), poweredOff());
            Metrics metrics = new Metrics(store);
            io.understudy.drivers.Drivers drivers = DriverFactory.forConfig(() -> store.read(ClusterState::config), sim, simulateMissingAgents);
            if (sim != null) {
                // The simulator's lockstep pairs run real members (the example service), asked like real fronts.
                simPairs = new SimPairs(settings.dataDir().resolve("sim-pairs"), () -> store.read(ClusterState::config), sim);
                drivers = drivers.withPair(simPairs.driver(drivers.pair()));
            }
            engine = new Engine(store, drivers,
                    scheduler, EngineSettings.DEFAULTS, steps, probes,
                    new io.understudy.engine.hook.HookCalls(new io.understudy.engine.hook.HookRunner(), hooks), metrics);
            // Until the API listens, agents' heartbeats cannot reach this node: their silence is not news.
            engine.detector().deaf();
            if (sim != null) {
                sim.addListener(new SimulatedOnly(engine.detector(), () -> store.read(ClusterState::config), simulateMissingAgents));
                sim.start();
            }
            AgentReceiver agents = new AgentReceiver(() -> store.read(ClusterState::config),
                    io.understudy.drivers.agent.AgentSecrets.fromEnvironment(), engine.detector(), scheduler, metrics.registry())
                    .replies(server -> store.read(s -> heartbeatReply(s, server)));
            events = io.understudy.drivers.redfish.RedfishEventSubscriptions.start(config,
                    new java.net.InetSocketAddress(settings.bind(), settings.httpPort() == 0 ? 0 : settings.httpPort() + 2),
                    engine.detector()::hardwareEvent, schedulerClock(scheduler), store.term());
            api = new Api(store, engine, sim, tokens, metrics, settings.nodeId(), scheduler, simulateMissingAgents).withAgents(agents);
            api.start(settings.bind(), settings.httpPort());
            changes = new ChangeLog(store).start();
            // After the catch-up above: the arbiters follow the configuration this node has finished reading.
            arbiters = new PairArbiters(settings.dataDir().resolve("lockstep"), () -> store.read(ClusterState::config), PairArbiters::isLocal).start();
            if (simPairs != null) simPairs.start();
            engine.detector().listening();
            if (!settings.peers().isEmpty()) {
                engine.detector().witnesses(new PeerWitnesses(settings.nodeId(), settings.peers(), tokens.first(Tokens.Role.VIEWER).token()));
            }
        } catch (IOException | RuntimeException e) {
            store.close();
            throw e;
        }
    }

    /** Invariant 8: a real-BMC server without an agent runs only in a lab that asked for the simulator to stand in. */
    private static void refuseMissingAgents(DataCenterConfig config, Settings settings) {
        if (settings.simulateMissingAgents()) return;
        List<ConfigError> missing = ConfigValidator.agentsMissing(config);
        if (missing.isEmpty()) return;
        throw new IllegalArgumentException(missing.size() + " server(s) would run on the simulator's agent: "
                + missing.stream().map(ConfigError::toString).collect(java.util.stream.Collectors.joining("; ")));
    }

    /**
     * Waits until this node has applied every entry committed before it started: the log it replays from disk and
     * whatever the group committed meanwhile. Without quorum it keeps waiting (and says so); past
     * {@link #CATCH_UP_LIMIT} the start fails rather than run on a state it has not finished reading.
     */
    private void catchUp(Settings settings) {
        long started = System.nanoTime();
        long deadline = started + CATCH_UP_LIMIT.toNanos();
        while (true) {
            try {
                store.awaitCaughtUp(CATCH_UP_ATTEMPT);
                LOG.info("{}: log replayed and caught up (applied index {}) after {} ms", settings.nodeId(),
                        ((RatisStateStore) store).appliedIndex(), (System.nanoTime() - started) / 1_000_000);
                return;
            } catch (StateStore.StateException e) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException(settings.nodeId() + " has not caught up with the committed log in "
                            + CATCH_UP_LIMIT.toMinutes() + " min: " + e.getMessage() + "; nothing was started", e);
                }
                LOG.info("{}: waiting to catch up with the committed log before acting: {}", settings.nodeId(), e.getMessage());
            }
        }
    }

    /**
     * The configuration to run with: the one given, committed if the group does not have it yet, else the group's.
     * A member of a group may start before the group has a leader, so it retries until {@link #JOIN_TIMEOUT}.
     */
    private DataCenterConfig joinWithConfig(Settings settings) {
        long deadline = System.nanoTime() + JOIN_TIMEOUT.toNanos();
        while (true) {
            try {
                if (settings.config() != null && !Objects.equals(settings.config(), store.read(ClusterState::config))) {
                    Result r = store.submit(new ApplyConfig(settings.config(), "startup", Instant.now()));
                    if (!r.ok()) throw new IllegalArgumentException(r.message());
                }
                DataCenterConfig config = store.read(ClusterState::config);
                if (!config.servers().isEmpty()) return config;
                if (settings.peers().isEmpty()) throw new IllegalArgumentException("no data center configured: pass --config FILE");
            } catch (StateStore.StateException e) {
                if (settings.peers().isEmpty() || System.nanoTime() > deadline) throw e;
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalArgumentException("no data center configured after " + JOIN_TIMEOUT.toSeconds()
                        + " s: pass --config FILE to this node or another member of the group");
            }
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while joining the group", e);
            }
        }
    }

    /** Events are stamped on the data center's clock, which the demo runs faster than the wall's. */
    private static java.time.Clock schedulerClock(ScaledScheduler s) {
        return new java.time.Clock() {
            @Override
            public java.time.ZoneId getZone() {
                return java.time.ZoneOffset.UTC;
            }

            @Override
            public java.time.Clock withZone(java.time.ZoneId zone) {
                return this;
            }

            @Override
            public Instant instant() {
                return s.now();
            }
        };
    }

    /**
     * Time never runs backwards across restarts, even after a sped-up demo: the clock resumes from the newest of the
     * wall clock, every time the (fully replayed) state records, and the mark this node last wrote to disk.
     */
    private Instant origin() {
        Instant newest = store.read(Node::newestTime);
        Instant mark = clockMark.read();
        if (mark != null && mark.isAfter(newest)) newest = mark;
        Instant now = Instant.now();
        return newest.isAfter(now) ? newest : now;
    }

    /** The newest instant the state records anywhere: jobs and their steps, alarms, servers, the audit trail. */
    static Instant newestTime(ClusterState s) {
        return Stream.of(
                s.jobs().stream().flatMap(j -> Stream.concat(Stream.of(j.created(), j.ended()),
                        j.steps().stream().flatMap(st -> Stream.of(st.started(), st.ended())))),
                s.alarms().stream().flatMap(a -> Stream.of(a.raised(), a.cleared())),
                s.servers().stream().map(r -> r.since()),
                s.profiles().stream().flatMap(p -> p.fallbacks().stream()),
                s.changes().stream().map(c -> c.at()))
                .flatMap(x -> x).filter(Objects::nonNull).max(Instant::compareTo).orElse(Instant.EPOCH);
    }

    private Map<String, String> placement() {
        Map<String, String> m = new HashMap<>();
        store.read(s -> s.profiles()).stream().filter(p -> p.server() != null).forEach((ProfileRecord p) -> m.put(p.id(), p.server()));
        return m;
    }

    private Set<String> poweredOff() {
        Set<String> off = new HashSet<>();
        DataCenterConfig cfg = store.read(ClusterState::config);
        store.read(s -> s.servers()).forEach(r -> {
            switch (r.state()) {
                case FENCED, OFF -> off.add(r.id());
                case UNKNOWN -> {
                    boolean coldSpare = cfg.groupOf(r.id()).map(g -> g.spares().contains(r.id())
                            && g.policy().protection() == io.understudy.model.config.ProtectionLevel.COLD).orElse(false);
                    if (coldSpare) off.add(r.id());
                }
                default -> { }
            }
        });
        return off;
    }

    public int port() {
        return api.port();
    }

    /** The servers whose missing agent the simulator plays in this lab ({@code --simulate-missing-agents}); none elsewhere. */
    public List<String> standIns() {
        return store.read(ClusterState::config).servers().stream()
                .filter(s -> simulateMissingAgents && s.agent() == null && !"sim".equals(s.bmc().driver()))
                .map(io.understudy.model.config.ServerSpec::id).toList();
    }

    public Tokens tokens() {
        return tokens;
    }

    /** The group's self-fence timeout (null: off) and the profiles the state has on the server. */
    static io.understudy.drivers.agent.AgentProtocol.HeartbeatReply heartbeatReply(ClusterState s, String server) {
        Long selfFence = s.index().groupOf(server).map(g -> g.policy().selfFenceTimeout()).map(java.time.Duration::toMillis).orElse(null);
        java.util.List<io.understudy.model.config.ProfileSpec> here = s.profileOn(server)
                .flatMap(p -> s.index().profile(p.id())).map(java.util.List::of).orElse(java.util.List.of());
        return new io.understudy.drivers.agent.AgentProtocol.HeartbeatReply(selfFence, here);
    }

    public Engine engine() {
        return engine;
    }

    /** For tests: the replicated state, the embedded simulator (null when none) and this node's clock. */
    StateStore store() {
        return store;
    }

    SimPairs simPairs() {
        return simPairs;
    }

    SimDataCenter sim() {
        return sim;
    }

    Instant now() {
        return scheduler.now();
    }

    @Override
    public void close() {
        if (arbiters != null) arbiters.close();
        if (simPairs != null) simPairs.close();
        if (events != null) events.close();
        if (changes != null) changes.close();
        api.stop();
        if (sim != null) sim.stop();
        engine.leadershipLost();
        clockMark.write(scheduler.now());
        scheduler.close();
        steps.shutdownNow();
        probes.shutdownNow();
        hooks.shutdownNow();
        store.close();
    }
}
