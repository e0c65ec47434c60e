package io.understudy.server;

import io.javalin.http.sse.SseClient;
import io.understudy.state.Json;
import java.time.Duration;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Server-sent events for the web page: one {@code view} event with the whole {@link PageView} whenever the
 * replicated state or the simulator moved, so the page never polls. One thread builds the view once per change and
 * writes it to every client, so a client never sees two events interleaved.
 */
final class EventStream implements AutoCloseable {
    /** How often the state is looked at; a change reaches the page within this. */
    static final Duration WATCH_EVERY = Duration.ofMillis(200);
    /** While a job runs the running step's duration grows on the page even when nothing is committed. */
    static final Duration RUNNING_EVERY = Duration.ofSeconds(1);
    /** Keeps last-heartbeat times fresh and the connection alive through idle timeouts. */
    static final Duration IDLE_EVERY = Duration.ofSeconds(10);

    private static final Logger log = LoggerFactory.getLogger(EventStream.class);

    private final PageView view;
    private final Set<SseClient> clients = ConcurrentHashMap.newKeySet();
    private final ScheduledExecutorService exec = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "understudy-events");
        t.setDaemon(true);
        return t;
    });
    private long lastIndex = -1;
    private Object lastSim;
    private long lastPushNanos;
    private String last;

    EventStream(PageView view) {
        this.view = view;
        exec.scheduleWithFixedDelay(this::tick, 0, WATCH_EVERY.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Keeps the client open and sends it the current view at once. */
    void add(SseClient client) {
        client.keepAlive();
        client.onClose(() -> clients.remove(client));
        exec.execute(() -> {
            if (last == null) last = encode();
            send(client, last);
            clients.add(client);
        });
    }

    int clients() {
        return clients.size();
    }

    private void tick() {
        try {
            if (clients.isEmpty()) {
                last = null;   // nobody watches: build nothing, and start afresh for the next client
                lastIndex = -1;
                return;
            }
            long index = view.appliedIndex();
            Object sim = view.simSignature();
            long since = System.nanoTime() - lastPushNanos;
            boolean changed = index != lastIndex || !Objects.equals(sim, lastSim);
            boolean due = since >= IDLE_EVERY.toNanos() || (since >= RUNNING_EVERY.toNanos() && view.jobsRunning());
            if (!changed && !due) return;
            lastIndex = index;
            lastSim = sim;
            last = encode();
            for (SseClient c : clients) send(c, last);
        } catch (RuntimeException e) {
            log.warn("event stream round failed: {}", e.toString(), e);
        }
    }

    private String encode() {
        lastPushNanos = System.nanoTime();
        try {
            return Json.MAPPER.writeValueAsString(view.build());
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("cannot encode the page view", e);
        }
    }

    private void send(SseClient c, String json) {
        c.sendEvent("view", json);
        if (c.terminated()) clients.remove(c);
    }

    @Override
    public void close() {
        exec.shutdownNow();
        clients.forEach(SseClient::close);
        clients.clear();
    }
}
