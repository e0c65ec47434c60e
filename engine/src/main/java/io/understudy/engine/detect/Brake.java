package io.understudy.engine.detect;

import io.understudy.engine.EngineSettings;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

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
    private final EngineSettings settings;
    /** Until when each server counts: its last late round or its conviction, plus its window. */
    private final Map<String, Instant> countedUntil = new HashMap<>();
    private final Set<String> wave = new LinkedHashSet<>();

    Brake(EngineSettings settings) {
        this.settings = settings;
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

    /** The brake holds a conviction back: every server counted now belongs to the wave. Returns whether it is new. */
    boolean hold() {
        boolean fresh = wave.isEmpty();
        wave.addAll(countedUntil.keySet());
        return fresh;
    }

    /** A server went late while the wave lasts: it is part of it. */
    void join(String server) {
        if (!wave.isEmpty()) wave.add(server);
    }

    /** Takes explained servers out of the wave; returns whether this ended it. */
    boolean explain(Predicate<String> explained) {
        if (wave.isEmpty()) return false;
        wave.removeIf(explained);
        return wave.isEmpty();
    }

    /** A leader that finds the brake's alarm open but knows no wave (it was another leader's) adopts these servers. */
    void adopt(Collection<String> servers) {
        wave.addAll(servers);
    }

    boolean waveOpen() {
        return !wave.isEmpty();
    }

    Set<String> wave() {
        return Set.copyOf(wave);
    }

    void reset() {
        countedUntil.clear();
        wave.clear();
    }
}
