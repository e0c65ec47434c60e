package io.understudy.lockstep;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.apache.ratis.client.RaftClient;
import org.apache.ratis.conf.RaftProperties;
import org.apache.ratis.grpc.GrpcConfigKeys;
import org.apache.ratis.protocol.Message;
import org.apache.ratis.protocol.RaftClientReply;
import org.apache.ratis.protocol.RaftGroup;
import org.apache.ratis.protocol.RaftGroupId;
import org.apache.ratis.protocol.RaftPeer;
import org.apache.ratis.protocol.RaftPeerId;
import org.apache.ratis.server.RaftServer;
import org.apache.ratis.server.RaftServerConfigKeys;
import org.apache.ratis.server.storage.RaftStorage;
import org.apache.ratis.thirdparty.com.google.protobuf.ByteString;
import org.apache.ratis.util.TimeDuration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One member of a lockstep pair's Raft group: the primary or the twin (each runs the service) or the arbiter (keeps
 * the input log, runs no service, breaks ties). The primary leads whenever it runs and is caught up — it asks for the
 * lead when it does not hold it ({@link #startPin}) — and otherwise the twin; the arbiter leads only for a moment.
 */
public final class LockstepMember implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(LockstepMember.class);

    /**
     * Ratis priorities: the arbiter below the pair, so a member refuses it a vote with a log as long as its own. The
     * primary and the twin are equals: a candidate waits out every peer of higher priority that has not answered, in
     * the pre-vote and again in the vote, and a dead primary's request hangs on its dark link — so a twin below the
     * primary took the lead two election timeouts later than it could (the lockstep lab, b's log: 1 s waiting on a in
     * each round after a's host was fenced). The primary takes the lead back by asking for it instead.
     */
    public enum Role {
        PRIMARY(1), TWIN(1), ARBITER(0);

        final int priority;

        Role(int priority) {
            this.priority = priority;
        }

        public String wire() {
            return name().toLowerCase();
        }
    }

    /** A member of the pair's group: its id, its Raft address (host:port) and its role. */
    public record Peer(String id, String address, Role role) {}

    /**
     * @param electionTimeoutMin  Raft's; the twin takes over within about this after the primary stops answering
     * @param digestEvery         a digest point every this many inputs
     * @param snapshotEvery       a snapshot every this many log entries (0: never), so a new twin gets a snapshot and
     *                            the inputs after it rather than the whole log
     */
    public record Settings(Duration electionTimeoutMin, Duration electionTimeoutMax, int digestEvery, long snapshotEvery) {
        public static final Settings DEFAULTS = new Settings(Duration.ofMillis(600), Duration.ofMillis(1200), 100, 10_000);
    }

    private final String pair;
    private final Peer self;
    private final List<Peer> peers;
    private final Path dir;
    private final Supplier<DeterministicService> services;
    private final Settings settings;
    private volatile LockstepStateMachine machine;
    private volatile RaftServer server;
    private volatile RaftClient digests;

    private LockstepMember(String pair, Peer self, List<Peer> peers, Path dir, Supplier<DeterministicService> services, Settings settings) {
        this.pair = pair;
        this.self = self;
        this.peers = List.copyOf(peers);
        this.dir = dir;
        this.services = services;
        this.settings = settings;
    }

    /**
     * Starts {@code self}, one of {@code peers}, keeping its log and snapshots under {@code dir}. A member that finds
     * its directory empty joins as new: the leader sends it a snapshot and the inputs after it.
     */
    public static LockstepMember start(String pair, Peer self, List<Peer> peers, Path dir, Supplier<DeterministicService> services,
                                       Settings settings) throws IOException {
        if (peers.stream().noneMatch(p -> p.id().equals(self.id()))) throw new IllegalArgumentException("peers: expected " + self.id() + " among them");
        LockstepMember m = new LockstepMember(pair, self, peers, dir, services, settings);
        m.startServer();
        return m;
    }

    static RaftGroupId groupId(String pair) {
        return RaftGroupId.valueOf(UUID.nameUUIDFromBytes(("understudy-lockstep-" + pair).getBytes(StandardCharsets.UTF_8)));
    }

    static RaftGroup group(String pair, List<Peer> peers) {
        return RaftGroup.valueOf(groupId(pair), raftPeers(peers));
    }

    static List<RaftPeer> raftPeers(List<Peer> peers) {
        return peers.stream().map(p -> RaftPeer.newBuilder().setId(RaftPeerId.valueOf(p.id()))
                .setAddress(p.address()).setPriority(p.role().priority).build()).toList();
    }

    private void startServer() throws IOException {
        leaderHeardNanos = System.nanoTime();
        Files.createDirectories(dir);
        RaftProperties p = new RaftProperties();
        RaftServerConfigKeys.setStorageDir(p, List.of(dir.toFile()));
        GrpcConfigKeys.Server.setPort(p, Integer.parseInt(self.address().substring(self.address().lastIndexOf(':') + 1)));
        RaftServerConfigKeys.Rpc.setTimeoutMin(p, millis(settings.electionTimeoutMin()));
        RaftServerConfigKeys.Rpc.setTimeoutMax(p, millis(settings.electionTimeoutMax()));
        RaftServerConfigKeys.LeaderElection.setLeaderStepDownWaitTime(p, millis(settings.electionTimeoutMax()));
        // See the control plane's group (state/ratis/RatisGroup): Ratis 3.3's composed appends acknowledge entries a
        // follower never wrote.
        RaftServerConfigKeys.Log.setAppendEntriesComposeEnabled(p, false);
        RaftServerConfigKeys.Log.Appender.setRetryPolicy(p, APPENDER_RETRIES);
        boolean snapshots = settings.snapshotEvery() > 0 && self.role() != Role.ARBITER;
        RaftServerConfigKeys.Snapshot.setAutoTriggerEnabled(p, snapshots);
        if (snapshots) {
            RaftServerConfigKeys.Snapshot.setAutoTriggerThreshold(p, settings.snapshotEvery());
            RaftServerConfigKeys.Snapshot.setRetentionFileNum(p, 2);
        }
        machine = new LockstepStateMachine(self.role() == Role.ARBITER ? null : services.get(), settings.digestEvery(), this::digestPoint);
        RaftStorage.StartupOption startup = isEmpty(dir) ? RaftStorage.StartupOption.FORMAT : RaftStorage.StartupOption.RECOVER;
        server = RaftServer.newBuilder().setServerId(RaftPeerId.valueOf(self.id())).setGroup(group(pair, peers))
                .setStateMachine(machine).setProperties(p).setOption(startup).build();
        server.start();
        // Used only while this member leads (digest points, the arbiter's hand-over), so it asks this member first:
        // one that began with the primary hung on a fenced primary's dark link and the arbiter never handed the lead
        // on (the lockstep lab: no replies for minutes after the primary's host was killed).
        digests = LockstepClient.raftClient(pair, peers, Duration.ofSeconds(5), self.id());
        if (self.role() == Role.ARBITER) startHandOver();
        if (self.role() == Role.PRIMARY) startPin();
        startStuckWatch();
        LOG.info("lockstep {}: {} ({}) started at {}", pair, self.id(), self.role().wire(), self.address());
    }

    private volatile java.util.concurrent.ScheduledExecutorService handOver;

    /**
     * An arbiter that wins an election (its log was the longest when the primary died) serves nobody, and Ratis hands
     * the lead on by itself only to a caught-up peer of the highest priority (the dead primary, while it ranked above
     * the twin; a twin whose log is not yet level, now). So an arbiter
     * that has led for {@link #ARBITER_LEADS} — long enough for its heartbeats to bring the twin's log level with its
     * own — steps down, and the twin (equal log, higher priority: the arbiter votes for it, it refuses the arbiter)
     * wins the next election; if the twin was not yet level the arbiter wins again and steps down again a moment
     * later. Found by LockstepPairTest under a CPU hog, where the arbiter kept the lead and nobody was served.
     */
    private void startHandOver() {
        handOver = watcher("lockstep-arbiter-hand-over");
        long[] leadingSince = {0};
        handOver.scheduleWithFixedDelay(() -> {
            RaftClient c = digests;
            if (c == null || !leading()) {
                leadingSince[0] = 0;
                return;
            }
            long now = System.nanoTime();
            if (leadingSince[0] == 0) leadingSince[0] = now;
            if (now - leadingSince[0] < ARBITER_LEADS.toNanos()) return;
            try {
                RaftClientReply r = c.admin().transferLeadership(null, 3_000);
                if (r.isSuccess()) LOG.info("lockstep {}: arbiter stepped down so a member of the pair leads", pair);
            } catch (IOException | RuntimeException e) {
                // still leading: again next round
            }
            leadingSince[0] = 0;
        }, 200, 200, java.util.concurrent.TimeUnit.MILLISECONDS);
    }

    private volatile java.util.concurrent.ScheduledExecutorService pin;

    /**
     * The primary asks for the lead (Ratis' transfer: the leader sends it the rest of the log, then has it start an
     * election) once it is a follower whose log reaches the pair's commit and has for {@link #PIN_AFTER} — what Ratis
     * did by itself while the primary ranked above the twin. A refused or timed-out transfer backs off (doubling from
     * {@code PIN_AFTER}); after {@link #PIN_TRIES} in a row it is logged as an error and tried no more until the
     * pair's leader changes: the twin leads and serves meanwhile, through this member's door as well.
     */
    private void startPin() {
        pin = watcher("lockstep-pin");
        long[] since = {0};
        long[] next = {0};
        int[] failed = {0};
        String[] leaderSeen = {null};
        pin.scheduleWithFixedDelay(() -> {
            RaftClient c = digests;
            try {
                RaftServer.Division d = server.getDivision(groupId(pair));
                RaftPeerId leader = d.getInfo().getLeaderId();
                String l = leader == null ? null : leader.toString();
                if (!java.util.Objects.equals(l, leaderSeen[0])) {
                    leaderSeen[0] = l;
                    failed[0] = 0;
                    next[0] = 0;
                }
                long now = System.nanoTime();
                if (c == null || d.getInfo().isLeader() || leader == null || failed[0] >= PIN_TRIES || !caughtUp(d)) {
                    since[0] = 0;
                    return;
                }
                if (since[0] == 0) since[0] = now;
                if (now - since[0] < PIN_AFTER.toNanos() || now < next[0]) return;
                RaftClientReply r = c.admin().transferLeadership(RaftPeerId.valueOf(self.id()), PIN_WAIT.toMillis());
                if (r.isSuccess()) {
                    LOG.info("lockstep {}: {} took the lead (the primary leads the pair whenever it runs, caught up)", pair, self.id());
                    return;
                }
                throw new IOException(String.valueOf(r.getException()));
            } catch (IOException | RuntimeException e) {
                if (since[0] == 0) return;   // stopped or starting
                failed[0]++;
                next[0] = System.nanoTime() + PIN_AFTER.toNanos() * (1L << Math.min(failed[0], 5));
                if (failed[0] == PIN_TRIES) {
                    LOG.error("lockstep {}: {} could not take the lead back from {} in {} tries ({}); the twin leads until the leader changes",
                            pair, self.id(), leaderSeen[0], PIN_TRIES, e.toString());
                }
            }
        }, 500, 500, java.util.concurrent.TimeUnit.MILLISECONDS);
    }

    /** Whether this member's log reaches the pair's commit as it knows it. */
    private static boolean caughtUp(RaftServer.Division d) {
        org.apache.ratis.server.protocol.TermIndex t = d.getRaftLog().getLastEntryTermIndex();
        long mine = t == null ? -1 : t.getIndex();
        long commit = d.getCommitInfos().stream().mapToLong(org.apache.ratis.proto.RaftProtos.CommitInfoProto::getCommitIndex).max().orElse(-1);
        return mine >= commit;
    }

    /** How long the primary is caught up before it asks for the lead; how long a transfer may take; tries in a row. */
    static final Duration PIN_AFTER = Duration.ofSeconds(1);
    static final Duration PIN_WAIT = Duration.ofSeconds(3);
    static final int PIN_TRIES = 8;

    private volatile java.util.concurrent.ScheduledExecutorService stuckWatch;
    /** Resyncs this member ran because it was stuck, and when it may run the next (backing off). */
    private int stuckResyncs;
    private long nextResyncNanos;

    /**
     * A follower that hears its leader but is not fed the log resyncs itself. Found by the lockstep lab: a twin whose
     * member the control plane started half a minute after the primary's was sent heartbeats only — its log stayed
     * empty while the pair committed thousands of inputs, so when the primary's host died the twin could not lead and
     * the pair served nobody. It is Ratis' leader appender stuck on a stale match index for a follower that was never
     * there (RATIS-2523 describes the same loop); a membership change gives the follower a fresh appender, as a resync
     * does. Watched every 2 s; stuck means its log has not grown for {@link #STUCK_AFTER} while the leader's commit is
     * past it; resyncs back off (doubling from {@code STUCK_AFTER}) and stop after {@link #STUCK_RESYNCS}, logged as an
     * error then (the control plane shows the pair syncing, its lag growing).
     */
    private void startStuckWatch() {
        stuckWatch = watcher("lockstep-stuck-watch");
        long[] last = {-2, System.nanoTime()};   // own last index seen, since when
        stuckWatch.scheduleWithFixedDelay(() -> {
            try {
                RaftServer.Division d = server.getDivision(groupId(pair));
                deafMillis(d.getInfo().getLeaderId() == null ? null : d.getInfo().getLeaderId().toString());
                if (d.getInfo().isLeader() || d.getInfo().getLeaderId() == null) {
                    last[0] = -2;
                    return;
                }
                org.apache.ratis.server.protocol.TermIndex t = d.getRaftLog().getLastEntryTermIndex();
                long mine = t == null ? -1 : t.getIndex();
                long leaders = d.getCommitInfos().stream().mapToLong(org.apache.ratis.proto.RaftProtos.CommitInfoProto::getCommitIndex).max().orElse(-1);
                long now = System.nanoTime();
                if (mine != last[0] || leaders <= mine) {
                    last[0] = mine;
                    last[1] = now;
                    return;
                }
                if (now - last[1] < STUCK_AFTER.toNanos() || now < nextResyncNanos) return;
                if (stuckResyncs >= STUCK_RESYNCS) {
                    if (stuckResyncs++ == STUCK_RESYNCS) {
                        LOG.error("lockstep {}: {} is still not fed the pair's log (at {}, the leader's commit at {}) after {} resyncs; giving up",
                                pair, self.id(), mine, leaders, STUCK_RESYNCS);
                    }
                    return;
                }
                stuckResyncs++;
                nextResyncNanos = now + STUCK_AFTER.toNanos() * (1L << Math.min(stuckResyncs, 6));
                LOG.warn("lockstep {}: {} hears leader {} but its log stays at {} while the pair's commit is at {}: resyncing ({} of at most {})",
                        pair, self.id(), d.getInfo().getLeaderId(), mine, leaders, stuckResyncs, STUCK_RESYNCS);
                last[0] = -2;
                resyncSoon();
            } catch (IOException | RuntimeException e) {
                // stopped or starting: next round
            }
        }, 2, 2, java.util.concurrent.TimeUnit.SECONDS);
    }

    /**
     * How long the leader's appender waits after each failed or refused append to a member: 1 ms ten times, 50 ms
     * twenty times, then 200 ms (Ratis: 1 ms, 1 s, then 5 s). A member that comes back after a long outage finds the
     * count high, and where its log holds entries the leader does not (it led when it died) the leader walks back one
     * entry per refused append: at 5 s a step the old home heard its leader only now and then and stayed behind for
     * minutes (CI, the lockstep lab's kill scenario: "twin a has heard no leader for 90 s"; ReturnExperiment: 56 s for a
     * return after 60 s). A dead member costs the leader five connection attempts a second.
     */
    static final String APPENDER_RETRIES = "1ms,10, 50ms,20, 200ms,2000000000";

    /** One thread of its own for a member's watch: it never waits on another's Ratis call. */
    private static java.util.concurrent.ScheduledExecutorService watcher(String name) {
        return java.util.concurrent.Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        });
    }

    /** How long a follower's log may stay put while the leader commits past it before it resyncs. */
    static final Duration STUCK_AFTER = Duration.ofSeconds(10);
    static final int STUCK_RESYNCS = 5;

    /** How long an arbiter leads before it steps down for the pair (its heartbeats level the twin's log meanwhile). */
    static final Duration ARBITER_LEADS = Duration.ofSeconds(2);

    private static boolean isEmpty(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.findAny().isEmpty();
        }
    }

    /** The leader puts its digest in the log for every member to compare; a follower's own point is not needed. */
    private void digestPoint(long seq, byte[] digest) {
        RaftClient c = digests;
        if (c == null || !leading()) return;
        c.async().send(Message.valueOf(ByteString.copyFrom(Entry.encode(new Entry.DigestPoint(seq, digest)))))
                .exceptionally(e -> null);   // a lost point only skips one comparison
    }

    public boolean leading() {
        try {
            return server != null && server.getDivision(groupId(pair)).getInfo().isLeader();
        } catch (IOException e) {
            return false;
        }
    }

    /** The pair's leader as this member knows it, or null (cheap: for a door's client on every request). */
    public String leader() {
        try {
            RaftPeerId l = server.getDivision(groupId(pair)).getInfo().getLeaderId();
            return l == null ? null : l.toString();
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /** What this member knows of the pair. */
    /** @param deafMillis how long this member has heard no leader (0 while it hears one), by its own clock */
    public record Status(String id, Role role, boolean leading, String leader, long seq, String digest, long duplicates,
                         LockstepStateMachine.Divergence divergence, long deafMillis) {
        /** The input at which this member found its digest differs from the leader's, or null. */
        public Long divergedAt() {
            return divergence == null ? null : divergence.seq();
        }
    }

    /** When this member last heard a leader (or started): a twin deaf for long is not being fed (TwinCheck). */
    private volatile long leaderHeardNanos = System.nanoTime();

    private long deafMillis(String leader) {
        long now = System.nanoTime();
        if (leader != null) {
            leaderHeardNanos = now;
            return 0;
        }
        return (now - leaderHeardNanos) / 1_000_000;
    }

    public Status status() {
        LockstepStateMachine m = machine;
        String leader = null;
        try {
            RaftPeerId l = server.getDivision(groupId(pair)).getInfo().getLeaderId();
            leader = l == null ? null : l.toString();
        } catch (IOException | RuntimeException e) {
            // stopped or starting: no leader known
        }
        return new Status(self.id(), self.role(), leading(), leader, m.seq(), m.digest(), m.duplicates(), m.divergence(), deafMillis(leader));
    }

    /** Runs {@code reader} on this member's service between two inputs (tests, status pages). */
    public <T> T read(java.util.function.Function<DeterministicService, T> reader) {
        return machine.read(reader);
    }

    private final java.util.concurrent.atomic.AtomicBoolean resyncing = new java.util.concurrent.atomic.AtomicBoolean();

    /**
     * Resyncs in the background (the stuck watch; the control plane through the front's {@code resync} line): null
     * when it began or one is already running, else why not — a leading member never resyncs (the pair would lose the
     * only copy that orders inputs). Safe whatever this member hears: the pair's leader must commit its removal from
     * the group before its copy is dropped.
     */
    public String resyncSoon() {
        if (leading()) return "the member leading the pair does not resync";
        if (!resyncing.compareAndSet(false, true)) return null;
        java.util.concurrent.CompletableFuture.runAsync(() -> {
            try {
                resync();
            } catch (IOException | RuntimeException e) {
                LOG.warn("lockstep {}: resync of {} failed: {}", pair, self.id(), e.toString());
            } finally {
                resyncing.set(false);
            }
        });
        return null;
    }

    /**
     * Resync ("the other element is synchronized"): stops, drops its log, snapshots and service state, and starts
     * again empty; the leader sends it a snapshot and the inputs after it while the pair goes on serving.
     */
    public void resync() throws IOException {
        LOG.warn("lockstep {}: {} resyncs from the leader (divergence: {})", pair, self.id(), machine.divergence());
        List<Peer> others = peers.stream().filter(p -> !p.id().equals(self.id())).toList();
        try (LockstepClient admin = new LockstepClient(pair, others, Duration.ofSeconds(5), Duration.ZERO)) {
            admin.reconfigure(others);
            stopServer();
            deleteTree(dir);
            startServer();
            admin.reconfigure(peers);
        }
    }

    private void stopServer() throws IOException {
        if (handOver != null) handOver.shutdownNow();
        if (stuckWatch != null) stuckWatch.shutdownNow();
        if (pin != null) pin.shutdownNow();
        stuckWatch = null;
        handOver = null;
        pin = null;
        RaftClient c = digests;
        digests = null;
        if (c != null) c.close();
        if (server != null) server.close();
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) return;
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) Files.delete(p);
        }
    }

    @Override
    public void close() throws IOException {
        stopServer();
    }

    static TimeDuration millis(Duration d) {
        return TimeDuration.valueOf(d.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
    }
}
