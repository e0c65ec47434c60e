package io.understudy.server;

import io.understudy.state.Alarm;
import io.understudy.state.ClusterState;
import io.understudy.state.Job;
import io.understudy.state.StateStore;
import io.understudy.state.Step;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes one log line for each change this node applies to jobs and alarms — a job created, each step started and
 * ended (a fence's line says how it was confirmed), a job ended, an alarm raised, updated or cleared — each with
 * its id, so an operator's log tells what happened without the API. Every node logs what it applied, leader or not.
 */
final class ChangeLog implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger("understudy.changes");
    private static final long EVERY_MS = 200;

    private final StateStore store;
    private final ScheduledExecutorService exec = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "understudy-change-log");
        t.setDaemon(true);
        return t;
    });
    private Seen seen;

    /** What was last logged: each job's status and steps, each alarm's text and whether it was open. */
    record Seen(Map<Long, Job> jobs, Map<Long, Alarm> alarms) {
        static Seen of(ClusterState s) {
            Map<Long, Job> jobs = new HashMap<>();
            s.jobs().forEach(j -> jobs.put(j.id(), j));
            Map<Long, Alarm> alarms = new HashMap<>();
            s.alarms().forEach(a -> alarms.put(a.id(), a));
            return new Seen(jobs, alarms);
        }
    }

    ChangeLog(StateStore store) {
        this.store = store;
    }

    /** Starts from the state as it is now: what happened before this start is history, not news. */
    ChangeLog start() {
        seen = store.read(Seen::of);
        LOG.info("{} jobs ({} running) and {} open alarms in the state at start", seen.jobs().size(),
                seen.jobs().values().stream().filter(Job::active).count(), seen.alarms().values().stream().filter(Alarm::open).count());
        exec.scheduleWithFixedDelay(this::round, EVERY_MS, EVERY_MS, TimeUnit.MILLISECONDS);
        return this;
    }

    private void round() {
        try {
            Seen now = store.read(Seen::of);
            lines(seen, now).forEach(LOG::info);
            seen = now;
        } catch (RuntimeException e) {
            LOG.warn("change log round failed: {}", e.toString());
        }
    }

    /** The lines that tell what changed from {@code before} to {@code after}, oldest first. */
    static List<String> lines(Seen before, Seen after) {
        List<String> out = new ArrayList<>();
        after.jobs().values().stream().sorted((a, b) -> Long.compare(a.id(), b.id())).forEach(j -> {
            Job old = before.jobs().get(j.id());
            String name = j.type().wire() + " job " + j.id() + " (" + j.profile() + ")";
            if (old == null) {
                out.add(name + " created by " + j.startedBy() + ": " + j.reason() + " — leaves " + j.source());
            }
            for (int i = 0; i < j.steps().size(); i++) {
                Step st = j.steps().get(i);
                Step was = old == null ? null : old.steps().get(i);
                Step.Status from = was == null ? Step.Status.PENDING : was.status();
                if (st.status() == from) continue;
                if (st.status() == Step.Status.RUNNING) {
                    out.add(name + " step " + st.name() + " started");
                } else if (st.status().finished()) {
                    out.add(name + " step " + st.name() + " " + st.status().name().toLowerCase() + ": " + st.message());
                }
            }
            if (!Objects.equals(old == null ? null : old.target(), j.target()) && j.target() != null) {
                out.add(name + " target " + j.target());
            }
            if (!j.active() && (old == null || old.active())) {
                out.add(name + " " + j.status().wire() + (j.message() == null ? "" : ": " + j.message()));
            }
        });
        after.alarms().values().stream().sorted((a, b) -> Long.compare(a.id(), b.id())).forEach(a -> {
            Alarm old = before.alarms().get(a.id());
            String name = "alarm " + a.id() + " " + a.type().wire() + " " + a.subject();
            if (old == null && a.open()) out.add(name + " raised: " + a.text());
            else if (old != null && old.open() && !a.open()) out.add(name + " cleared");
            else if (old != null && a.open() && !Objects.equals(old.text(), a.text())) out.add(name + " updated: " + a.text());
        });
        return out;
    }

    @Override
    public void close() {
        exec.shutdownNow();
    }
}
