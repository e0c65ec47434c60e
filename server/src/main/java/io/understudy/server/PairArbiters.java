package io.understudy.server;

import io.understudy.lockstep.KeyValueService;
import io.understudy.lockstep.LockstepMember;
import io.understudy.lockstep.LockstepMember.Peer;
import io.understudy.lockstep.LockstepMember.Role;
import io.understudy.model.config.DataCenterConfig;
import io.understudy.model.config.GroupSpec;
import io.understudy.model.config.PairArbiter;
import io.understudy.model.config.ProfileSpec;
import io.understudy.model.config.ProtectionLevel;
import io.understudy.model.config.ServerSpec;
import java.io.IOException;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The arbiters of lockstep pairs that this control-plane node runs: one for each lockstep profile whose
 * {@code pairArbiter} address is on this machine. It keeps the pair's input log and breaks ties (so the twin has a
 * majority when the primary dies) and runs no service. Checked every few seconds against the configuration, on a
 * thread of its own (starting a Raft server is I/O): a new or changed arbiter is started, one no longer configured is
 * stopped; one that failed to start is tried again, each wait twice the last, at most {@link #START_LIMIT} times
 * (an error then, until its configuration changes).
 */
final class PairArbiters implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(PairArbiters.class);
    static final Duration EVERY = Duration.ofSeconds(5);

    private final Path dir;
    private final Supplier<DataCenterConfig> config;
    private final Predicate<String> local;
    private final Map<String, Running> running = new HashMap<>();
    private final ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "pair-arbiters");
        t.setDaemon(true);
        return t;
    });

    private record Running(List<Peer> peers, LockstepMember member) {}

    /** Failed starts of an arbiter, for the pair as configured then: the next try waits longer, and they stop at a cap. */
    private record Failing(List<Peer> peers, int starts, long nextTryNanos) {}

    /** Starts of one arbiter tried before giving up until its configuration changes. */
    static final int START_LIMIT = 5;
    private final Map<String, Failing> failing = new HashMap<>();

    /**
     * @param dir    where each arbiter keeps its pair's log ({@code dir/PROFILE})
     * @param local  whether a host (name or address) is this machine's
     */
    PairArbiters(Path dir, Supplier<DataCenterConfig> config, Predicate<String> local) {
        this.dir = dir;
        this.config = config;
        this.local = local;
    }

    PairArbiters start() {
        executor.scheduleWithFixedDelay(this::check, 0, EVERY.toMillis(), TimeUnit.MILLISECONDS);
        return this;
    }

    /** The pairs whose arbiter runs here, by profile: their groups' three members, as each member is started with. */
    static Map<String, List<Peer>> wanted(DataCenterConfig c, Predicate<String> local) {
        Map<String, List<Peer>> out = new LinkedHashMap<>();
        if (c == null) return out;
        for (ProfileSpec p : c.profiles()) {
            PairArbiter a = p.pairArbiter();
            if (a == null || a.host() == null || a.port() < 1 || a.memberPort() == null || !local.test(a.host())) continue;
            Optional<GroupSpec> g = c.groups().stream().filter(x -> x.id().equals(p.group())).findFirst();
            if (g.isEmpty() || g.get().policy().protection() != ProtectionLevel.LOCKSTEP || g.get().spares().size() != 1) continue;
            Optional<ServerSpec> primary = server(c, p.home());
            Optional<ServerSpec> twin = server(c, g.get().spares().get(0));
            if (primary.isEmpty() || twin.isEmpty()) continue;
            out.put(p.id(), List.of(new Peer(primary.get().id(), primary.get().address() + ":" + a.memberPort(), Role.PRIMARY),
                    new Peer(twin.get().id(), twin.get().address() + ":" + a.memberPort(), Role.TWIN),
                    new Peer(PairArbiter.ID, a.address(), Role.ARBITER)));
        }
        return out;
    }

    private static Optional<ServerSpec> server(DataCenterConfig c, String id) {
        return c.servers().stream().filter(s -> s.id().equals(id) && s.address() != null).findFirst();
    }

    /** Whether {@code host} is an address of one of this machine's interfaces. */
    static boolean isLocal(String host) {
        try {
            InetAddress a = InetAddress.getByName(host);
            return a.isLoopbackAddress() || NetworkInterface.getByInetAddress(a) != null;
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    synchronized void check() {
        Map<String, List<Peer>> wanted;
        try {
            wanted = wanted(config.get(), local);
        } catch (RuntimeException e) {
            return;   // the state is not readable yet: next check
        }
        for (var it = running.entrySet().iterator(); it.hasNext(); ) {
            var r = it.next();
            if (r.getValue().peers().equals(wanted.get(r.getKey()))) continue;
            LOG.info("lockstep arbiter of {}: stopped ({})", r.getKey(), wanted.containsKey(r.getKey()) ? "its pair changed" : "no longer configured here");
            close(r.getValue().member());
            it.remove();
        }
        failing.keySet().retainAll(wanted.keySet());
        for (var w : wanted.entrySet()) {
            if (running.containsKey(w.getKey())) continue;
            Failing f = failing.get(w.getKey());
            if (f != null && !f.peers().equals(w.getValue())) f = null;   // configured anew: tries again from the first
            if (f != null && (f.starts() >= START_LIMIT || System.nanoTime() < f.nextTryNanos())) continue;
            Peer self = w.getValue().get(2);
            try {
                portFree(self);
                LockstepMember m = LockstepMember.start(w.getKey(), self, w.getValue(), dir.resolve(w.getKey()), KeyValueService::new,
                        LockstepMember.Settings.DEFAULTS);
                running.put(w.getKey(), new Running(w.getValue(), m));
                failing.remove(w.getKey());
                LOG.info("lockstep arbiter of {}: running at {} for {}", w.getKey(), self.address(), w.getValue());
            } catch (IOException | RuntimeException e) {
                int starts = f == null ? 1 : f.starts() + 1;
                long wait = EVERY.toNanos() << Math.min(starts - 1, 6);
                failing.put(w.getKey(), new Failing(w.getValue(), starts, System.nanoTime() + wait));
                if (starts >= START_LIMIT) {
                    LOG.error("lockstep arbiter of {}: could not start at {} after {} tries ({}); not tried again until its configuration changes",
                            w.getKey(), self.address(), starts, e.toString());
                } else {
                    LOG.warn("lockstep arbiter of {}: could not start at {} ({}); trying again in {} s ({} of at most {})", w.getKey(),
                            self.address(), e.toString(), wait / 1_000_000_000L, starts, START_LIMIT);
                }
            }
        }
    }

    /** Failed starts of the arbiter of {@code profile} since it was last configured (0: none failed). */
    synchronized int startsTried(String profile) {
        Failing f = failing.get(profile);
        return f == null ? 0 : f.starts();
    }

    /**
     * Refuses a port another process holds before Ratis is asked: Ratis ends the whole JVM when its server cannot bind
     * (found by PairArbitersTest: the test JVM exited), and this JVM is a control-plane node.
     */
    private static void portFree(Peer self) throws IOException {
        int port = Integer.parseInt(self.address().substring(self.address().lastIndexOf(':') + 1));
        try (java.net.ServerSocket probe = new java.net.ServerSocket()) {
            probe.setReuseAddress(true);
            probe.bind(new java.net.InetSocketAddress(port));
        } catch (IOException e) {
            throw new IOException("port " + port + " is taken: " + e.getMessage(), e);
        }
    }

    /** The profiles whose arbiter runs here now. */
    synchronized List<String> profiles() {
        return List.copyOf(running.keySet());
    }

    /** The status of the arbiter of {@code profile}, if it runs here. */
    synchronized Optional<LockstepMember.Status> status(String profile) {
        return Optional.ofNullable(running.get(profile)).map(r -> r.member().status());
    }

    private static void close(LockstepMember m) {
        try {
            m.close();
        } catch (IOException | RuntimeException e) {
            // stopping anyway
        }
    }

    @Override
    public synchronized void close() {
        executor.shutdownNow();
        running.values().forEach(r -> close(r.member()));
        running.clear();
    }
}
