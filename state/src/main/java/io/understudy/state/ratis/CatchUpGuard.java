package io.understudy.state.ratis;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;
import org.apache.ratis.protocol.RaftClientReply;
import org.apache.ratis.protocol.RaftPeerId;
import org.apache.ratis.server.DivisionInfo;
import org.apache.ratis.server.RaftServer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes sure the leader feeds a member of a larger group that just started, in particular one that lost its log.
 *
 * <p>Why: Raft assumes a member never loses its log, and Ratis' leader (3.3) never lowers the matchIndex it keeps for
 * a follower. A member restarted with an empty data directory (or that lost the tail of its log) under the same id
 * therefore meets a leader that still holds the old incarnation's matchIndex M. The member refuses each heartbeat (it
 * lacks entry M) and answers nextIndex 0; for a refused request whose first entry is not M + 1 — a heartbeat has none
 * — Ratis puts nextIndex back to M + 1 ({@code LogAppenderBase.getNextIndexForInconsistency}). When nothing was
 * written since the member stopped, M + 1 is the leader's own next index: the leader sends heartbeats only, and the
 * member stays empty (no configuration, no jobs) for as long as that leader leads. Writes do not reliably help: a
 * heartbeat is usually in flight with the append of a new entry, its refusal clears the leader's pending requests,
 * and the append's refusal then counts as one for an unknown request, so back to M + 1 again. A new term does help:
 * a new leader starts from fresh follower indices and backs off to the member's real end, sending its log from there
 * or, if it purged that part, its snapshot. Whether the group happened to elect again around the restart is why the
 * member caught up in some runs and not in others.
 *
 * <p>So after the start this writes one no-op entry ({@link UnderstudyStateMachine#NO_OP}: it changes no state) and
 * waits for this member to apply it. A member whose log is intact gets it with the next append. One that a leader has
 * been in touch with for {@link #STALL_LIMIT} without its log or state moving is not being fed: it asks that leader to
 * step down, so that the group elects again (a member with an empty log cannot win; the old leader may, in a new
 * term). Bounded: a few attempts at the no-op, a few step-downs, a time limit; then it leaves it to the next leader
 * change. A false alarm (say a snapshot transfer slower than the limit) costs one election.
 */
final class CatchUpGuard implements Runnable {
    private static final Logger LOG = LoggerFactory.getLogger(CatchUpGuard.class);

    /** Attempts, each bounded by the request timeout, at getting the no-op committed. */
    static final int NO_OP_ATTEMPTS = 6;
    /** How long a leader may be in touch with this member without its log or state moving before that counts as stuck. */
    static final Duration STALL_LIMIT = Duration.ofSeconds(3);
    /** Step-downs asked for at most per start: one new term suffices unless the member is unlucky twice. */
    static final int MAX_STEP_DOWNS = 2;
    /** The longest this guard watches after the no-op was committed. */
    static final Duration WATCH_LIMIT = Duration.ofSeconds(60);
    private static final Duration POLL = Duration.ofMillis(100);

    private final RatisSettings settings;
    private final GroupClient client;
    private final RaftServer.Division division;
    private final UnderstudyStateMachine machine;
    private final BooleanSupplier closed;

    CatchUpGuard(RatisSettings settings, GroupClient client, RaftServer.Division division, UnderstudyStateMachine machine,
                 BooleanSupplier closed) {
        this.settings = settings;
        this.client = client;
        this.division = division;
        this.machine = machine;
        this.closed = closed;
    }

    @Override
    public void run() {
        try {
            long target = writeNoOp();
            if (target >= 0) watch(target);
        } catch (InterruptedException e) {
            // closing
        }
    }

    /** The index the no-op was committed at, or -1 if it was not committed in {@link #NO_OP_ATTEMPTS} attempts. */
    private long writeNoOp() throws InterruptedException {
        for (int attempt = 1; attempt <= NO_OP_ATTEMPTS && !closed.getAsBoolean(); attempt++) {
            try {
                RaftClientReply reply = client.send(UnderstudyStateMachine.NO_OP, settings.requestTimeout());
                if (reply.isSuccess()) return reply.getLogIndex();
                LOG.debug("{}: start no-op refused", settings.nodeId(), reply.getException());
            } catch (TimeoutException | ExecutionException e) {
                LOG.debug("{}: start no-op not committed (attempt {} of {})", settings.nodeId(), attempt, NO_OP_ATTEMPTS, e);
            }
            Thread.sleep(RatisGroup.RETRY_SLEEP.toMillis());
        }
        if (!closed.getAsBoolean()) {
            LOG.info("{}: the no-op written after start was not committed in {} attempts (no quorum?); not checking"
                    + " that the leader feeds this member", settings.nodeId(), NO_OP_ATTEMPTS);
        }
        return -1;
    }

    /**
     * Waits until this member applied {@code target}. Stuck means: a leader has been in contact for
     * {@link #STALL_LIMIT} and neither this member's log nor its state moved meanwhile. A leader that does not contact
     * it at all (say while it backs off after the errors of the member's downtime) is not blamed: when it does, it
     * sends what the member lacks at once if it knows where the member's log ends.
     */
    private void watch(long target) throws InterruptedException {
        long deadline = System.nanoTime() + WATCH_LIMIT.toNanos();
        long logNext = division.getRaftLog().getNextIndex();
        long applied = machine.appliedIndex();
        long lastMoved = System.nanoTime();
        Long contactSince = null; // first contact with a leader noticed since lastMoved
        RaftPeerId leader = null; // the leader of the latest contact
        int stepDowns = 0;
        while (!closed.getAsBoolean() && machine.appliedIndex() < target && System.nanoTime() < deadline) {
            Thread.sleep(POLL.toMillis());
            long now = System.nanoTime();
            long nowLogNext = division.getRaftLog().getNextIndex();
            long nowApplied = machine.appliedIndex();
            if (nowLogNext != logNext || nowApplied != applied) {
                logNext = nowLogNext;
                applied = nowApplied;
                lastMoved = now;
                contactSince = null;
                continue;
            }
            // Polling sees a leader this member follows now; the state machine remembers one set in between polls
            // (a member the leader does not feed keeps timing out, runs for election and hears the leader again).
            UnderstudyStateMachine.LeaderHeard heard = machine.otherLeaderHeard();
            if (heard != null && heard.at() - lastMoved > 0) {
                leader = heard.leader();
                if (contactSince == null || heard.at() - contactSince < 0) contactSince = heard.at();
            }
            DivisionInfo info = division.getInfo();
            if (info.isFollower() && info.getLeaderId() != null) {
                leader = info.getLeaderId();
                if (contactSince == null) contactSince = now;
            }
            if (contactSince == null || now - contactSince < STALL_LIMIT.toNanos() || stepDowns >= MAX_STEP_DOWNS) continue;
            stepDowns++;
            LOG.warn("{}: leader {} committed index {} but sent this member nothing in the {} since it got in touch (applied {},"
                    + " log ends at {}): it still counts on the log this member had before it restarted; asking it to step down",
                    settings.nodeId(), leader, target, STALL_LIMIT, nowApplied, nowLogNext - 1);
            try {
                client.stepDownLeader(leader, settings.requestTimeout());
            } catch (IOException e) {
                LOG.info("{}: asking leader {} to step down failed: {}", settings.nodeId(), leader, e.toString());
            }
            lastMoved = System.nanoTime();
            contactSince = null;
        }
        if (!closed.getAsBoolean() && machine.appliedIndex() < target) {
            LOG.warn("{}: still behind index {} after {} ({} step-down(s) asked for); leaving it to the next leader change",
                    settings.nodeId(), target, WATCH_LIMIT, stepDowns);
        }
    }
}
