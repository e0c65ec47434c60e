package io.understudy.state.ratis;

import io.understudy.state.StateStore.LeadershipListener;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers leadership changes to listeners on one dedicated thread, in the order Ratis reported them, once each.
 *
 * <p>Ratis calls us on its own threads (the state machine updater, the election daemon); listener work such as
 * starting the job engine must never hold them up, and listeners must never see "ready" and "lost" out of order.
 * Everything below except the queueing runs on that one thread, so the fields need no locking.
 */
final class LeadershipDispatcher implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(LeadershipDispatcher.class);

    private final ExecutorService thread;
    private final List<LeadershipListener> listeners = new ArrayList<>();
    /** The term this node leads in, as last told to listeners; 0 when it does not lead. */
    private long leadingTerm;

    LeadershipDispatcher(String nodeId) {
        thread = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "understudy-leadership-" + nodeId);
            t.setDaemon(true);
            return t;
        });
    }

    /** A listener added while this node already leads hears {@code leaderReady} at once: it must not miss the term. */
    void add(LeadershipListener listener) {
        queue(() -> {
            listeners.add(listener);
            if (leadingTerm > 0) call(listener, l -> l.leaderReady(leadingTerm));
        });
    }

    void ready(long term) {
        queue(() -> {
            if (leadingTerm == term) return;
            if (leadingTerm > 0) fireLost();
            leadingTerm = term;
            listeners.forEach(listener -> call(listener, l -> l.leaderReady(term)));
        });
    }

    void lost() {
        queue(() -> {
            if (leadingTerm > 0) fireLost();
        });
    }

    private void fireLost() {
        leadingTerm = 0;
        listeners.forEach(listener -> call(listener, LeadershipListener::leadershipLost));
    }

    private void queue(Runnable event) {
        try {
            thread.execute(event);
        } catch (RejectedExecutionException closed) {
            LOG.debug("leadership event after close ignored");
        }
    }

    /** One failing listener must not keep the others from hearing about the change. */
    private static void call(LeadershipListener listener, Consumer<LeadershipListener> event) {
        try {
            event.accept(listener);
        } catch (RuntimeException e) {
            LOG.error("leadership listener {} failed", listener, e);
        }
    }

    /** Tells listeners leadership is lost (if it was held), lets queued events run, then stops the thread. */
    @Override
    public void close() {
        lost();
        thread.shutdown();
        try {
            if (!thread.awaitTermination(5, TimeUnit.SECONDS)) {
                LOG.warn("leadership listeners still busy 5 s after close; interrupting them");
                thread.shutdownNow();
            }
        } catch (InterruptedException e) {
            thread.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }
}
