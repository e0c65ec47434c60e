package io.understudy.state.ratis;

import io.understudy.state.ClusterStatus;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;

/**
 * On the leader: notices a follower that answers but is not fed, and says when this leader should step down so that
 * a new term feeds it. Pure: it is given the time and what the leader sees; {@link RatisStateStore} polls and acts.
 *
 * <p>Why: within a term Ratis' leader (3.3) never lowers the match index it keeps for a follower, and after a refused
 * heartbeat it sends from that match index + 1 again. When the match index is ahead of the follower's real log, the
 * follower refuses every heartbeat and is fed only if a refused append happens to come back alone. The campaign saw
 * it after a node restarted from an empty data directory (trial 20 of campaign seed 20261202: a member stuck at index
 * 2121 for 100 s while the leader held 2122 for it; before that one at 958 for 7 minutes). The cause there was Ratis'
 * composed appends acknowledging an entry never written ({@link RatisGroup} turns them off); this watch stays for any
 * other way a leader's view of a follower gets ahead of it, and {@link CatchUpGuard} still looks right after a start.
 *
 * <p>Not fed means: the follower answered within {@link #ANSWERED_WITHIN}, its match index is below the commit index,
 * and it has not moved for {@link #STALL_LIMIT}. A follower being sent a long log moves; one that is down does not
 * answer. Bounded: after a step-down the next waits {@link #FIRST_BACKOFF}, doubling up to {@link #MAX_BACKOFF}, and
 * at most {@link #CAP} step-downs in {@link #CAP_WINDOW}; at the cap it says so once and leaves the follower behind
 * (the group runs on its majority; an operator restarts the member).
 */
final class FeedWatch {
    /** Twice {@link CatchUpGuard#STALL_LIMIT}: right after a start the guard asks first, and one step-down suffices. */
    static final Duration STALL_LIMIT = CatchUpGuard.STALL_LIMIT.multipliedBy(2);
    /** A follower that answered within this long is in touch (Ratis counts every reply, a refusal too). */
    static final Duration ANSWERED_WITHIN = Duration.ofSeconds(3);
    static final Duration FIRST_BACKOFF = Duration.ofSeconds(10);
    static final Duration MAX_BACKOFF = Duration.ofMinutes(5);
    static final int CAP = 5;
    static final Duration CAP_WINDOW = Duration.ofHours(1);

    /** What to do after one look. */
    enum Verdict { NONE, STEP_DOWN, CAPPED }

    /** The verdict, and for a step-down or the cap the follower and what the leader saw of it. */
    record Decision(Verdict verdict, String follower, long matchIndex, long commitIndex) {
        static final Decision NONE = new Decision(Verdict.NONE, null, -1, -1);
    }

    private record Seen(long matchIndex, long since) {}

    private final Map<String, Seen> behind = new HashMap<>();
    private final Deque<Long> stepDowns = new ArrayDeque<>();
    private long term = -1;
    private boolean capSaid;

    /**
     * One look at the group as its leader sees it ({@link Membership#status}); {@code now} in nanoseconds of the
     * caller's clock. Call it only while this node leads; a new term forgets what was seen (its indices are fresh).
     */
    Decision observe(long now, ClusterStatus status) {
        if (status.term() != term) {
            term = status.term();
            behind.clear();
        }
        Decision stuck = Decision.NONE;
        for (ClusterStatus.Member m : status.members()) {
            if (m.id().equals(status.node())) continue;
            boolean answers = m.lastContactMs() >= 0 && m.lastContactMs() < ANSWERED_WITHIN.toMillis();
            if (!answers || m.matchIndex() >= status.commitIndex()) {
                behind.remove(m.id());
                continue;
            }
            Seen seen = behind.get(m.id());
            if (seen == null || seen.matchIndex() != m.matchIndex()) {
                behind.put(m.id(), new Seen(m.matchIndex(), now));
                continue;
            }
            if (now - seen.since() >= STALL_LIMIT.toNanos() && stuck.verdict() == Verdict.NONE) {
                stuck = new Decision(Verdict.STEP_DOWN, m.id(), m.matchIndex(), status.commitIndex());
            }
        }
        if (stuck.verdict() == Verdict.NONE) return stuck;
        while (!stepDowns.isEmpty() && now - stepDowns.peekFirst() >= CAP_WINDOW.toNanos()) stepDowns.removeFirst();
        if (stepDowns.size() >= CAP) {
            if (capSaid) return Decision.NONE;
            capSaid = true;
            return new Decision(Verdict.CAPPED, stuck.follower(), stuck.matchIndex(), stuck.commitIndex());
        }
        if (!stepDowns.isEmpty() && now - stepDowns.peekLast() < backoff(stepDowns.size()).toNanos()) return Decision.NONE;
        stepDowns.addLast(now);
        capSaid = false;
        behind.clear();
        return stuck;
    }

    /** The wait after {@code recent} step-downs within the window: the first back-off, doubled for each further one. */
    static Duration backoff(int recent) {
        Duration d = FIRST_BACKOFF;
        for (int i = 1; i < recent && d.compareTo(MAX_BACKOFF) < 0; i++) d = d.multipliedBy(2);
        return d.compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : d;
    }
}
