package io.understudy.engine;

import io.understudy.model.time.Scheduler;
import io.understudy.state.AlarmType;
import io.understudy.state.ClusterStatus;
import io.understudy.state.StateStore;
import io.understudy.state.command.ClearAlarm;
import io.understudy.state.command.RaiseAlarm;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

/**
 * On the leader: raises {@code control-plane-member-behind} for a member that answers but has not reached, for
 * {@link #LIMIT}, the commit index of when it was first seen behind; clears it once the member caught up. The leader
 * steps down itself to feed such a member (state's FeedWatch, bounded, with a cap); this is what an operator sees
 * when that did not help. A member that does not answer is down, not behind: the control plane's quorum says that.
 * Reads the leader's own view of the group (no I/O).
 */
public final class MemberWatcher {
    /** Well past the feed watch's first step-downs (6 s stall, then 10 s, 20 s... apart). */
    static final Duration LIMIT = Duration.ofSeconds(60);
    /** A member heard from within this long answers (as the leader counts replies). */
    static final long ANSWERED_WITHIN_MS = 3000;

    private record Behind(Instant since, long commitThen) {}

    private final StateStore store;
    private final Scheduler scheduler;
    private final Map<String, Behind> behind = new HashMap<>();

    public MemberWatcher(StateStore store, Scheduler scheduler) {
        this.store = store;
        this.scheduler = scheduler;
    }

    public void tick() {
        ClusterStatus st = store.status();
        if (st.leader() == null || !st.leader().equals(st.node())) {
            behind.clear(); // indices seen by another leader are not comparable
            return;
        }
        Instant now = scheduler.now();
        for (ClusterStatus.Member m : st.members()) {
            if (m.id().equals(st.node())) continue;
            boolean answers = m.lastContactMs() >= 0 && m.lastContactMs() < ANSWERED_WITHIN_MS;
            if (!answers) {
                behind.remove(m.id());
                continue;
            }
            Behind b = behind.get(m.id());
            if (m.matchIndex() >= st.commitIndex()) {
                behind.remove(m.id());
                if (store.read(s -> s.openAlarm(AlarmType.CONTROL_PLANE_MEMBER_BEHIND, m.id()).isPresent())) {
                    store.submit(new ClearAlarm(AlarmType.CONTROL_PLANE_MEMBER_BEHIND, m.id(), now));
                }
                continue;
            }
            if (b == null || m.matchIndex() >= b.commitThen()) {
                // Behind now, but it moved past what was committed when last looked: it is being fed.
                behind.put(m.id(), new Behind(now, st.commitIndex()));
                continue;
            }
            if (Duration.between(b.since(), now).compareTo(LIMIT) >= 0
                    && store.read(s -> s.openAlarm(AlarmType.CONTROL_PLANE_MEMBER_BEHIND, m.id()).isEmpty())) {
                store.submit(new RaiseAlarm(AlarmType.CONTROL_PLANE_MEMBER_BEHIND, m.id(), "control-plane member " + m.id()
                        + " answers but has not reached index " + b.commitThen() + " in " + LIMIT.toSeconds() + " s (it holds "
                        + m.matchIndex() + ", the group " + st.commitIndex() + "): it is not being fed; the group runs on its majority."
                        + " Restart that member (with an empty data directory if its log is damaged) or check its disk", now));
            }
        }
    }
}
