package io.understudy.engine;

import io.understudy.model.time.Scheduler;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The latest decisions the engine took on this node, each a sentence with its reason ("failover job 4 started:
 * srv-a3 heartbeat lost…"), so operators and tests can read why something happened or did not. Every decision is
 * also a log line. Kept per subject, so one noisy subject cannot push the others out; the same sentence said again
 * about the same subject is counted on the last entry instead of added (and logged at 10, 100, 1000… repeats).
 */
public final class Decisions {
    private static final Logger LOG = LoggerFactory.getLogger("understudy.decisions");

    /**
     * @param at when it was first decided
     * @param repeats how many times the same sentence followed it (0: said once)
     * @param last when it was last said
     */
    public record Decision(Instant at, String subject, String text, int repeats, Instant last) {
        public Decision(Instant at, String subject, String text) {
            this(at, subject, text, 0, at);
        }

        Decision again(Instant now) {
            return new Decision(at, subject, text, repeats + 1, now);
        }
    }

    /** Per subject. */
    private static final int KEEP_PER_SUBJECT = 50;
    /** Subjects remembered; the one quiet longest goes first. */
    private static final int KEEP_SUBJECTS = 2_000;
    /** What {@link #recent()} answers at most. */
    private static final int RECENT = 500;

    private final Map<String, Deque<Decision>> bySubject = new LinkedHashMap<>(64, 0.75f, true);
    private final Scheduler scheduler;
    private final EngineListener listener;

    public Decisions(Scheduler scheduler, EngineListener listener) {
        this.scheduler = scheduler;
        this.listener = listener;
    }

    public void record(String subject, String text) {
        Instant now = scheduler.now();
        int repeats;
        synchronized (bySubject) {
            Deque<Decision> mine = bySubject.computeIfAbsent(subject, s -> new ArrayDeque<>());
            Decision last = mine.peekLast();
            if (last != null && last.text().equals(text)) {
                mine.removeLast();
                Decision again = last.again(now);
                mine.addLast(again);
                repeats = again.repeats();
            } else {
                mine.addLast(new Decision(now, subject, text));
                while (mine.size() > KEEP_PER_SUBJECT) mine.removeFirst();
                repeats = 0;
            }
            if (bySubject.size() > KEEP_SUBJECTS) {
                var eldest = bySubject.keySet().iterator();
                eldest.next();
                eldest.remove();
            }
        }
        if (repeats == 0) {
            LOG.info("[{}] {}", subject, text);
            listener.decided(subject, text);
        } else if (isPowerOfTen(repeats)) {
            LOG.info("[{}] {} (said {} times since {})", subject, text, repeats + 1, now);
        }
    }

    private static boolean isPowerOfTen(int n) {
        while (n >= 10 && n % 10 == 0) n /= 10;
        return n == 1;
    }

    /** The newest decisions across subjects, oldest first. */
    public List<Decision> recent() {
        List<Decision> all = new ArrayList<>();
        synchronized (bySubject) {
            bySubject.values().forEach(all::addAll);
        }
        all.sort(Comparator.comparing(Decision::last));
        return List.copyOf(all.subList(Math.max(0, all.size() - RECENT), all.size()));
    }

    public List<Decision> about(String subject) {
        synchronized (bySubject) {
            Deque<Decision> mine = bySubject.get(subject);
            return mine == null ? List.of() : List.copyOf(mine);
        }
    }
}
