package io.understudy.engine;

import io.understudy.model.time.Scheduler;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;

/**
 * The latest decisions the engine took on this node, each a sentence with its reason ("failover job 4 started:
 * srv-a3 heartbeat lost…"), so operators and tests can read why something happened or did not.
 */
public final class Decisions {
    public record Decision(Instant at, String subject, String text) {}

    private static final int KEEP = 500;
    private final Deque<Decision> recent = new ArrayDeque<>();
    private final Scheduler scheduler;
    private final EngineListener listener;

    public Decisions(Scheduler scheduler, EngineListener listener) {
        this.scheduler = scheduler;
        this.listener = listener;
    }

    public void record(String subject, String text) {
        synchronized (recent) {
            recent.addLast(new Decision(scheduler.now(), subject, text));
            while (recent.size() > KEEP) recent.removeFirst();
        }
        listener.decided(subject, text);
    }

    public List<Decision> recent() {
        synchronized (recent) {
            return List.copyOf(recent);
        }
    }

    public List<Decision> about(String subject) {
        return recent().stream().filter(d -> d.subject().equals(subject)).toList();
    }
}
