package io.understudy.engine.detect;

import io.understudy.engine.Decisions;
import io.understudy.engine.EngineSettings;
import io.understudy.state.AlarmType;
import io.understudy.state.StateStore;
import io.understudy.state.command.ClearAlarm;
import io.understudy.state.command.RaiseAlarm;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * The detector's brake, judged over a sliding window: a server counts while it is late with heartbeats and for a
 * window after it was last seen late or was convicted. A wave of failures spread over seconds thus weighs as much as
 * a simultaneous one: the servers convicted early in the wave still count when the later ones are judged, instead of
 * leaving the count the moment they stop being "running".
 *
 * <p>The window is {@link #window two failure timeouts} of the server's group. A server is convicted about one
 * failure timeout after it falls silent; counting it for two more means any server that falls silent within about
 * two timeouts of it is judged together with it, so a wave stays one event however long it lasts, as long as its
 * servers keep falling silent faster than that. An isolated failure stops weighing on unrelated ones after that
 * short time (2 s in a group with a 1 s timeout), so it does not hold back the next genuine failure for long.
 *
 * <p>The servers counted when the brake holds a conviction back make up the <em>wave</em>; servers that go late
 * while it lasts join it. The wave is over when each of them is explained — heard again, or its failure confirmed
 * by its BMC — and only then is the brake's alarm cleared. Used from the engine's tick only.
 */
final class Brake {
    private static final String SUBJECT = "detector";
    private final EngineSettings settings;
    private final StateStore store;
    private final Decisions decisions;
    /** Until when each server counts: its last late round or its conviction, plus its window. */
    private final Map<String, Instant> countedUntil = new HashMap<>();
    private final Set<String> wave = new LinkedHashSet<>();
    /** The alarm's text as last raised, so an unchanged brake does not write it again every round. */
    private String raised;

    Brake(EngineSettings settings, StateStore store, Decisions decisions) {
        this.settings = settings;
        this.store = store;
        this.decisions = decisions;
    }

    /** How long a late or convicted server keeps counting, for a group with this failure timeout. */
    static Duration window(Duration failureTimeout) {
        return failureTimeout.multipliedBy(2);
    }

    /** The count the brake judges by: servers late or convicted within their window, out of those watched. */
    record Count(int late, int expected) {
        boolean engages(EngineSettings s) {
            return late >= s.brakeMinimum() && late > expected * s.brakeShare();
        }

        @Override
        public String toString() {
            return late + " of " + expected;
        }
    }

    /** The server is late this round (or was convicted now): it counts for a window from now. */
    void late(String server, Instant now, Duration failureTimeout) {
        countedUntil.merge(server, now.plus(window(failureTimeout)), (a, b) -> a.isAfter(b) ? a : b);
    }

    /**
     * @param running the servers expected to heartbeat now; servers counted but no longer running (convicted within
     *                their window) are expected too, so a wave's share does not shrink as its servers are convicted
     */
    Count count(Instant now, Collection<String> running) {
        countedUntil.values().removeIf(until -> until.isBefore(now));
        int expected = running.size();
        for (String s : countedUntil.keySet()) {
            if (!running.contains(s)) expected++;
        }
        return new Count(countedUntil.size(), expected);
    }

    /**
     * The brake holds a conviction back: every server counted now belongs to the wave, and the alarm says so (raised
     * again only when the count changes).
     */
    void hold(Count count, Instant now) {
        boolean fresh = wave.isEmpty();
        wave.addAll(countedUntil.keySet());
        String text = count + " servers late with heartbeats or convicted within the brake's window, BMCs not"
                + " confirming: suspecting the control plane's own network; fencing nobody";
        if (!fresh && text.equals(raised)) return;
        raised = text;
        store.submit(new RaiseAlarm(AlarmType.DETECTOR_BRAKE, SUBJECT, text, now));
        decisions.record(SUBJECT, text);
    }

    /** A server went late while the wave lasts: it is part of it. */
    void join(String server) {
        if (!wave.isEmpty()) wave.add(server);
    }

    /**
     * Clears the alarm once the wave is over: every server in it explained (heard again, or its failure confirmed by
     * its BMC). A leader that finds the alarm open without knowing its wave (another leader raised it) takes the
     * servers late now, unexplained, as the wave.
     */
    void settle(Instant now, Predicate<String> explained, Supplier<Collection<String>> lateNow) {
        if (store.read(s -> s.openAlarm(AlarmType.DETECTOR_BRAKE, SUBJECT)).isEmpty()) {
            raised = null;
            return;
        }
        if (wave.isEmpty()) {
            lateNow.get().stream().filter(explained.negate()).forEach(wave::add);
            if (!wave.isEmpty()) return;
        } else {
            wave.removeIf(explained);
            if (!wave.isEmpty()) return;
        }
        raised = null;
        store.submit(new ClearAlarm(AlarmType.DETECTOR_BRAKE, SUBJECT, now));
        decisions.record(SUBJECT, "brake released: every server of the wave is heard again or confirmed failed by its BMC");
    }

    void reset() {
        countedUntil.clear();
        wave.clear();
        raised = null;
    }
}
