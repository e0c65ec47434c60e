package io.understudy.state.ratis;

import io.understudy.state.ClusterState;
import io.understudy.state.Durations;
import io.understudy.state.Json;
import io.understudy.state.Result;
import io.understudy.state.StateMachine;
import io.understudy.state.StateStore;
import io.understudy.state.command.Command;
import java.io.IOException;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import java.util.function.Function;
import org.apache.ratis.conf.RaftProperties;
import org.apache.ratis.protocol.Message;
import org.apache.ratis.protocol.RaftClientReply;
import org.apache.ratis.protocol.RaftPeerId;
import org.apache.ratis.protocol.exceptions.LeaderNotReadyException;
import org.apache.ratis.protocol.exceptions.NotLeaderException;
import org.apache.ratis.protocol.exceptions.StateMachineException;
import org.apache.ratis.server.DivisionInfo;
import org.apache.ratis.server.RaftServer;
import org.apache.ratis.server.storage.RaftStorage;
import org.apache.ratis.thirdparty.com.google.protobuf.ByteString;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The replicated {@link StateStore}: commands go through a Raft log (Apache Ratis over gRPC) and are applied, in log
 * order, by a {@link StateMachine} on every member; one member by default, three or five for high availability.
 */
public final class RatisStateStore implements StateStore {
    private static final Logger LOG = LoggerFactory.getLogger(RatisStateStore.class);

    private final RatisSettings settings;
    private final StateMachine machine = new StateMachine();
    private final LeadershipDispatcher leadership;
    private final UnderstudyStateMachine ratisMachine;
    private final RaftServer server;
    private final RaftServer.Division division;
    private final GroupClient client;
    private volatile boolean closed;
    /** Checks that the leader feeds this member after its start ({@link CatchUpGuard}); null for a single node. */
    private volatile Thread catchUpGuard;
    /** While this node leads: steps down when a follower answers but is not fed ({@link FeedWatch}); null for a single node. */
    private volatile Thread feedWatch;

    private RatisStateStore(RatisSettings settings, Consumer<RaftProperties> tuning) throws IOException {
        this.settings = settings;
        this.leadership = new LeadershipDispatcher(settings.nodeId());
        this.ratisMachine = new UnderstudyStateMachine(machine, leadership);
        RaftProperties properties = RatisGroup.serverProperties(settings);
        tuning.accept(properties);
        RaftServer s = null;
        try {
            // RECOVER formats an empty directory and reopens an existing one: a restart rejoins the same group.
            s = RaftServer.newBuilder()
                    .setServerId(RaftPeerId.valueOf(settings.nodeId()))
                    .setGroup(RatisGroup.group(settings))
                    .setStateMachine(ratisMachine)
                    .setProperties(properties)
                    .setOption(RaftStorage.StartupOption.RECOVER)
                    .build();
            s.start();
            this.division = s.getDivision(RatisGroup.GROUP_ID);
            this.client = new GroupClient(settings);
        } catch (IOException | RuntimeException e) {
            if (s != null) closeQuietly(s);
            leadership.close();
            throw e;
        }
        this.server = s;
    }

    /**
     * Starts this node's Raft server (formatting {@code dataDir/raft} the first time, reopening it afterwards) and a
     * client to the group. A single node waits (up to the request timeout) until it has elected itself and replayed
     * its log, so it is leader when this returns; a member of a larger group returns at once and leads, or follows,
     * once its peers answer. Such a member then writes one no-op entry in the background and checks that the leader
     * feeds it, asking a leader that does not to step down ({@link CatchUpGuard}: a member restarted with an empty
     * data directory would otherwise stay empty for as long as the leader of the time leads).
     */
    public static RatisStateStore start(RatisSettings settings) throws IOException {
        return start(settings, p -> {});
    }

    /** For tests: Ratis server properties that no setting exposes (segment size, purge gap) tuned after ours. */
    static RatisStateStore start(RatisSettings settings, Consumer<RaftProperties> tuning) throws IOException {
        checkPortFree(settings.port());
        RatisStateStore store = new RatisStateStore(settings, tuning);
        if (settings.peers().size() == 1) {
            store.awaitFirstLeadership();
        } else {
            store.guardCatchUp();
            store.watchFeeding();
        }
        return store;
    }

    /** How often the leader looks at its followers' match indices ({@link FeedWatch}). */
    static final Duration FEED_POLL = Duration.ofMillis(500);

    /** See {@link FeedWatch}: a follower whose match index the leader holds ahead of its log is otherwise not fed this term. */
    private void watchFeeding() {
        FeedWatch watch = new FeedWatch();
        Thread t = new Thread(() -> {
            while (!closed) {
                try {
                    Thread.sleep(FEED_POLL.toMillis());
                } catch (InterruptedException e) {
                    return;
                }
                if (closed || !division.getInfo().isLeader()) continue;
                FeedWatch.Decision d = watch.observe(System.nanoTime(), Membership.status(division, settings));
                if (d.verdict() == FeedWatch.Verdict.CAPPED) {
                    LOG.error("{}: follower {} answers but has been sent nothing (match index {}, commit index {}); {} step-downs in {} did not"
                            + " help, so this leader steps down no more for it: restart that member", settings.nodeId(), d.follower(),
                            d.matchIndex(), d.commitIndex(), FeedWatch.CAP, Durations.format(FeedWatch.CAP_WINDOW));
                } else if (d.verdict() == FeedWatch.Verdict.STEP_DOWN) {
                    LOG.warn("{}: follower {} answers but has been sent nothing for {} (this leader holds its match index at {}, commit index {}):"
                            + " Ratis keeps that index for the term, so this leader steps down and a new term feeds it",
                            settings.nodeId(), d.follower(), Durations.format(FeedWatch.STALL_LIMIT), d.matchIndex(), d.commitIndex());
                    try {
                        client.stepDownLeader(RaftPeerId.valueOf(settings.nodeId()), settings.requestTimeout());
                    } catch (IOException | RuntimeException e) {
                        LOG.info("{}: stepping down failed: {}", settings.nodeId(), e.toString());
                    }
                }
            }
        }, "understudy-feed-watch-" + settings.nodeId());
        t.setDaemon(true);
        feedWatch = t;
        t.start();
    }

    /** See {@link CatchUpGuard}: a member that lost its log is otherwise not fed until the leader changes. */
    private void guardCatchUp() {
        Thread t = new Thread(new CatchUpGuard(settings, client, division, ratisMachine, () -> closed),
                "understudy-catch-up-" + settings.nodeId());
        t.setDaemon(true);
        catchUpGuard = t;
        t.start();
    }

    /** How long a start waits for its Raft port to be released (a node that just stopped may still hold it). */
    static final java.time.Duration PORT_WAIT = java.time.Duration.ofSeconds(5);

    /**
     * Ratis answers a port in use by exiting the JVM; say which port instead, while we still can. A port held only
     * briefly (the previous run of this node closing its server, which Netty finishes on its own threads) is asked
     * again for up to {@link #PORT_WAIT}, as a supervisor restarting the node would wish.
     */
    private static void checkPortFree(int port) throws IOException {
        long deadline = System.nanoTime() + PORT_WAIT.toNanos();
        while (true) {
            try (ServerSocket probe = new ServerSocket()) {
                probe.setReuseAddress(true);
                probe.bind(new InetSocketAddress(port));
                return;
            } catch (BindException e) {
                if (System.nanoTime() - deadline >= 0) {
                    throw new IOException("Raft port " + port + " is already in use (another understudy node, or a stale one?);"
                            + " waited " + PORT_WAIT.toSeconds() + " s for it", e);
                }
                try {
                    Thread.sleep(100);
                } catch (InterruptedException i) {
                    Thread.currentThread().interrupt();
                    throw new IOException("interrupted while waiting for Raft port " + port, i);
                }
            }
        }
    }

    private void awaitFirstLeadership() {
        try {
            ratisMachine.firstLeaderReady().get(settings.requestTimeout().toNanos(), TimeUnit.NANOSECONDS);
        } catch (TimeoutException | ExecutionException e) {
            LOG.warn("{}: not leader {} after start; commands will wait for the election", settings.nodeId(),
                    Durations.format(settings.requestTimeout()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Sends the command to the leader (from any member), waits until it is committed and applied here, and answers
     * the state machine's {@link Result}. Bounded by the settings' request timeout.
     */
    @Override
    public Result submit(Command command) {
        Duration timeout = settings.requestTimeout();
        long deadline = System.nanoTime() + timeout.toNanos();
        String what = command.getClass().getSimpleName();
        RaftClientReply reply = commit(what, Message.valueOf(ByteString.copyFrom(Json.bytes(command))), timeout,
                what + " timed out after " + Durations.format(timeout) + " without being committed"
                        + " (no leader or no quorum reachable from " + settings.nodeId() + ")");
        Result result = Json.read(reply.getMessage().getContent().toByteArray(), Result.class);
        awaitAppliedHere(what, reply.getLogIndex(), deadline);
        return result;
    }

    @Override
    public void awaitCaughtUp(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        String what = "the catch-up barrier";
        RaftClientReply reply = commit(what, UnderstudyStateMachine.NO_OP, timeout, settings.nodeId()
                + " has applied the log up to index " + ratisMachine.appliedIndex() + " but could not learn where the committed"
                + " log ends in " + Durations.format(timeout) + " (no leader yet, no quorum, or the log is still being replayed)");
        awaitAppliedHere(what, reply.getLogIndex(), deadline);
    }

    /** Sends one entry and waits for its commit; every way that fails is a {@link StateException} saying so. */
    private RaftClientReply commit(String what, Message message, Duration timeout, String timedOut) {
        if (closed) throw new StateException(what + " refused: the state store of " + settings.nodeId() + " is closed", null);
        RaftClientReply reply;
        try {
            reply = client.send(message, timeout);
        } catch (TimeoutException e) {
            throw new StateException(timedOut, e);
        } catch (ExecutionException e) {
            throw failure(what, e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StateException(what + " interrupted while waiting for the commit", e);
        }
        if (!reply.isSuccess()) throw failure(what, reply.getException());
        return reply;
    }

    /** For logs: the index of the newest entry this node has applied. */
    public long appliedIndex() {
        return ratisMachine.appliedIndex();
    }

    /** The leader answers after applying; a follower's own copy may lag a little, and readers here must see it. */
    private void awaitAppliedHere(String what, long index, long deadline) {
        try {
            ratisMachine.whenApplied(index).get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            throw new StateException(what + " was committed at index " + index + " but " + settings.nodeId()
                    + " had not applied it after " + Durations.format(settings.requestTimeout()), e);
        } catch (ExecutionException e) {
            throw new StateException(what + " committed at index " + index + ", waiting for the local apply failed", e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StateException(what + " interrupted while waiting for the local apply of index " + index, e);
        }
    }

    private StateException failure(String what, Throwable cause) {
        for (Throwable t = cause; t != null; t = t.getCause()) {
            if (t instanceof NotLeaderException || t instanceof LeaderNotReadyException) {
                return new StateException(what + " refused: not the leader, and no leader took it before the retries ran out ("
                        + t.getMessage() + ")", cause);
            }
            if (t instanceof StateMachineException) {
                return new StateException(what + " was committed but failed to apply: " + t.getMessage(), cause);
            }
        }
        return new StateException(what + " could not be committed ("
                + (cause == null ? "no detail" : cause.getClass().getSimpleName() + ": " + cause.getMessage()) + ")", cause);
    }

    @Override
    public io.understudy.state.ClusterStatus status() {
        return Membership.status(division, settings);
    }

    /** Adds a member (already started with the new group as its peers) through Raft's configuration change. */
    public String addMember(RatisSettings.Peer peer) throws IOException {
        List<RatisSettings.Peer> next = new java.util.ArrayList<>(currentPeers());
        if (next.stream().anyMatch(p -> p.id().equals(peer.id()))) throw new IllegalArgumentException("node " + peer.id() + " is already a member");
        next.add(peer);
        return Membership.change(division, settings, next);
    }

    /** Removes a member through Raft's configuration change; refused if the rest could not form a majority. */
    public String removeMember(String id) throws IOException {
        List<RatisSettings.Peer> next = new java.util.ArrayList<>(currentPeers());
        if (!next.removeIf(p -> p.id().equals(id))) throw new IllegalArgumentException("no member " + id);
        return Membership.change(division, settings, next);
    }

    private List<RatisSettings.Peer> currentPeers() {
        return division.getGroup().getPeers().stream().map(p -> {
            String[] hp = p.getAddress().split(":");
            return new RatisSettings.Peer(p.getId().toString(), hp[0], Integer.parseInt(hp[hp.length - 1]));
        }).toList();
    }

    /** Reads the state as applied on this node; never touches the network (a follower may lag the leader). */
    @Override
    public <T> T read(Function<ClusterState, T> reader) {
        return machine.read(reader);
    }

    /** True once this node leads and has applied the log of earlier terms, i.e. when leader duties may start. */
    @Override
    public boolean isLeader() {
        DivisionInfo info = division.getInfo();
        return info.isLeader() && info.isLeaderReady();
    }

    @Override
    public long term() {
        return division.getInfo().getCurrentTerm();
    }

    @Override
    public void addLeadershipListener(LeadershipListener listener) {
        leadership.add(listener);
    }

    public RatisSettings settings() {
        return settings;
    }

    /** For tests in this package: the replica's state machine and its Ratis wrapper. */
    StateMachine machine() {
        return machine;
    }

    UnderstudyStateMachine ratisMachine() {
        return ratisMachine;
    }

    RaftServer.Division division() {
        return division;
    }

    /** Listeners hear {@code leadershipLost} first, so leader work stops before the log goes away. Idempotent. */
    @Override
    public synchronized void close() {
        if (closed) return;
        closed = true;
        leadership.lost();
        stopHelper(catchUpGuard);
        stopHelper(feedWatch);
        client.close();
        closeQuietly(server); // ~1 s: Ratis' log worker polls its queue once a second before it sees the close
        leadership.close();
    }

    /** Interrupts a helper thread (guard, feed watch) and waits (bounded) so that it is done with the client before the client closes. */
    private void stopHelper(Thread t) {
        if (t == null || t == Thread.currentThread()) return;
        t.interrupt();
        try {
            t.join(settings.requestTimeout().toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void closeQuietly(RaftServer s) {
        try {
            s.close();
        } catch (IOException | RuntimeException e) {
            LOG.warn("{}: closing the Raft server failed", settings.nodeId(), e);
        }
    }
}
