package io.understudy.server;

import io.understudy.drivers.CallContext;
import io.understudy.drivers.DriverException;
import io.understudy.drivers.PairDriver;
import io.understudy.lockstep.KeyValueService;
import io.understudy.lockstep.LockstepClient;
import io.understudy.lockstep.LockstepMember;
import io.understudy.lockstep.LockstepMember.Peer;
import io.understudy.lockstep.LockstepMember.Role;
import io.understudy.model.config.DataCenterConfig;
import io.understudy.model.config.GroupSpec;
import io.understudy.model.config.ProfileSpec;
import io.understudy.model.config.ProtectionLevel;
import io.understudy.sim.SimDataCenter;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The embedded simulator's lockstep pairs, real ones: for a lockstep profile whose two servers are simulated, each
 * server runs a real pair member (the example key-value service, Ratis on loopback, its log under the node's data
 * directory) exactly while the simulator says the profile's workload runs there — a crash, a power loss or a stop
 * ends it as a killed process would, and its disk survives — plus an arbiter that always runs, and a small client that
 * sends {@code incr visits} through the pair ten times a second so its sequence number moves on the page. The
 * control plane asks these members through {@link #driver}, as it asks a real member's front; nothing here decides.
 */
final class SimPairs implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(SimPairs.class);
    static final Duration EVERY = Duration.ofMillis(250);
    private static final Duration FEED_EVERY = Duration.ofMillis(100);

    private final Path dir;
    private final Supplier<DataCenterConfig> config;
    private final SimDataCenter sim;
    /** Each pair's members as first started: their Raft addresses must stay the same for the life of the process. */
    private final Map<String, List<Peer>> peers = new ConcurrentHashMap<>();
    /** Running members by profile and server ("arbiter" for the arbiter). */
    private final Map<String, LockstepMember> members = new ConcurrentHashMap<>();
    private final Map<String, LockstepClient> clients = new ConcurrentHashMap<>();
    private final Map<String, Long> fed = new ConcurrentHashMap<>();
    private final ScheduledExecutorService executor = Executors.newScheduledThreadPool(2, r -> {
        Thread t = new Thread(r, "sim-pairs");
        t.setDaemon(true);
        return t;
    });

    SimPairs(Path dir, Supplier<DataCenterConfig> config, SimDataCenter sim) {
        this.dir = dir;
        this.config = config;
        this.sim = sim;
    }

    SimPairs start() {
        executor.scheduleWithFixedDelay(this::reconcile, 0, EVERY.toMillis(), TimeUnit.MILLISECONDS);
        executor.scheduleWithFixedDelay(this::feed, FEED_EVERY.toMillis(), FEED_EVERY.toMillis(), TimeUnit.MILLISECONDS);
        return this;
    }

    /** The pair driver: these members for the simulated pairs, {@code elsewhere} for every other (real fronts). */
    PairDriver driver(PairDriver elsewhere) {
        return new PairDriver() {
            @Override
            public PairStatus status(String server, ProfileSpec profile, CallContext ctx) throws DriverException {
                if (!peers.containsKey(profile.id())) return elsewhere.status(server, profile, ctx);
                LockstepMember.Status s = member(server, profile).status();
                return new PairStatus(s.seq(), s.digest(), s.leading(), s.divergedAt(), s.leader(), s.deafMillis());
            }

            @Override
            public void resync(String server, ProfileSpec profile, CallContext ctx) throws DriverException {
                if (!peers.containsKey(profile.id())) {
                    elsewhere.resync(server, profile, ctx);
                    return;
                }
                String refused = member(server, profile).resyncSoon();
                if (refused != null) throw new DriverException(DriverException.Kind.FAILED, "pair member on " + server + " refused to resync: " + refused);
            }
        };
    }

    private LockstepMember member(String server, ProfileSpec profile) throws DriverException {
        LockstepMember m = members.get(profile.id() + "/" + server);
        if (m == null) throw new DriverException(DriverException.Kind.UNREACHABLE, "the pair member of " + profile.id() + " does not run on " + server);
        return m;
    }

    /** The simulated lockstep profiles with their group's two servers: home (primary) and spare (twin). */
    static Map<String, List<String>> pairs(DataCenterConfig c) {
        Map<String, List<String>> out = new java.util.LinkedHashMap<>();
        if (c == null) return out;
        for (ProfileSpec p : c.profiles()) {
            if (c.protectionOf(p) != ProtectionLevel.LOCKSTEP) continue;
            Optional<GroupSpec> g = c.group(p.group());
            if (g.isEmpty() || g.get().spares().size() != 1) continue;
            List<String> two = List.of(p.home(), g.get().spares().get(0));
            boolean simulated = two.stream().allMatch(id -> c.server(id).map(s -> s.agent() == null).orElse(false));
            if (simulated) out.put(p.id(), two);
        }
        return out;
    }

    /** Each member runs exactly while the simulator runs the profile's workload on its server. */
    private void reconcile() {
        try {
            DataCenterConfig c = config.get();
            for (Map.Entry<String, List<String>> e : pairs(c).entrySet()) {
                String profile = e.getKey();
                ProfileSpec spec = c.profile(profile).orElseThrow();
                List<Peer> group = peers.computeIfAbsent(profile, k -> allocate(e.getValue()));
                ensure(profile, group.get(2), group, true);
                for (Peer p : group.subList(0, 2)) ensure(profile, p, group, runs(p.id(), spec));
            }
        } catch (RuntimeException e) {
            LOG.warn("simulated lockstep pairs: {}", e.toString());
        }
    }

    /** Crashed, powered off, stopped: its process is gone. */
    private boolean runs(String server, ProfileSpec profile) {
        return sim.workloadRuns(server, profile.id());
    }

    private void ensure(String profile, Peer p, List<Peer> group, boolean run) {
        String key = profile + "/" + p.id();
        LockstepMember m = members.get(key);
        if (run && m == null) {
            try {
                members.put(key, LockstepMember.start(profile, p, group, dir.resolve(profile).resolve(p.id()), KeyValueService::new,
                        LockstepMember.Settings.DEFAULTS));
            } catch (IOException | RuntimeException e) {
                LOG.warn("simulated lockstep pair {}: member {} did not start: {}", profile, p.id(), e.toString());
            }
        } else if (!run && m != null) {
            members.remove(key);
            close(m);
            LOG.info("simulated lockstep pair {}: member {} stopped (its server's workload no longer runs)", profile, p.id());
        }
    }

    private static List<Peer> allocate(List<String> servers) {
        List<Peer> out = new ArrayList<>();
        out.add(new Peer(servers.get(0), "127.0.0.1:" + freePort(), Role.PRIMARY));
        out.add(new Peer(servers.get(1), "127.0.0.1:" + freePort(), Role.TWIN));
        out.add(new Peer("arbiter", "127.0.0.1:" + freePort(), Role.ARBITER));
        return List.copyOf(out);
    }

    private static int freePort() {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException("no free local port for a simulated pair member: " + e.getMessage(), e);
        }
    }

    /** One input per pair per round, the next only once the last was answered (a retry keeps its request id). */
    private void feed() {
        for (Map.Entry<String, List<Peer>> e : peers.entrySet()) {
            String profile = e.getKey();
            LockstepClient client = clients.computeIfAbsent(profile, k -> new LockstepClient(k, e.getValue(), Duration.ofSeconds(2), Duration.ofSeconds(1)));
            long n = fed.getOrDefault(profile, 0L);
            try {
                client.send("demo-" + n, "incr visits".getBytes(StandardCharsets.UTF_8), Duration.ofSeconds(2));
                fed.put(profile, n + 1);
            } catch (TimeoutException | RuntimeException e2) {
                // No leader right now (a failover in progress): the same request id again next round.
            } catch (InterruptedException e2) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /** Inputs of the pair's client acknowledged so far (each an {@code incr visits}). */
    long acknowledged(String profile) {
        return fed.getOrDefault(profile, 0L);
    }

    /** The member running on {@code server} for {@code profile}, if any (tests read its service). */
    Optional<LockstepMember> running(String profile, String server) {
        return Optional.ofNullable(members.get(profile + "/" + server));
    }

    private static void close(AutoCloseable c) {
        try {
            c.close();
        } catch (Exception e) {
            // stopping anyway
        }
    }

    @Override
    public void close() {
        executor.shutdownNow();
        clients.values().forEach(SimPairs::close);
        members.values().forEach(SimPairs::close);
        members.clear();
    }
}
