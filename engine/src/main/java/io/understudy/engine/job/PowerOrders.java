package io.understudy.engine.job;

import io.understudy.drivers.DriverException;
import io.understudy.drivers.PowerReading;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Paces the power orders of a waiting step. A step runs again on every poll, but a BMC must not be ordered on every
 * poll: many restart a power action on each new order (a server that takes 3 s to go off then never does), others
 * answer "operation in progress". So a step orders on its first run, then again only once the BMC has had
 * {@link #FIRST_REORDER} to carry it out, the wait doubling up to {@link #MOST_BETWEEN_ORDERS} (an order that was
 * lost is given again), or on the next poll after an order failed outright (it may never have arrived). A busy
 * answer means the BMC is acting on something: ask again no sooner than the back-off, nor than its Retry-After.
 *
 * <p>What it remembers is this leader's own and is not replicated: a new leader (or a restarted node) runs the step
 * afresh and orders once at once — orders are idempotent — then paces itself the same way.
 */
final class PowerOrders {
    static final Duration FIRST_REORDER = Duration.ofSeconds(5);
    static final Duration MOST_BETWEEN_ORDERS = Duration.ofSeconds(20);

    /** What came of {@link #order}: ordered now, not yet due, or the BMC was busy. */
    enum Attempt { ORDERED, WAITING, BUSY }

    /** One power order to a BMC. */
    interface Order {
        void give() throws DriverException;
    }

    private record Key(long job, int step) {}

    /** What one job engine (one leader's) remembers of its orders; reset with the job engine. */
    static final class Memory {
        private final Map<Key, Last> last = new ConcurrentHashMap<>();

        void clear() {
            last.clear();
        }
    }

    /** This leader's last order for a step: what, when the next may go, the back-off after that, and how many went. */
    private record Last(long term, PowerReading.Power power, Instant next, Duration backoff, int count) {}

    private PowerOrders() {}

    /**
     * Gives {@code order} (to bring the server to {@code power}) if it is due on this run. Returns BUSY, not an
     * exception, when the BMC is busy; other driver errors are thrown, and the order is due again on the next run.
     */
    static Attempt order(StepContext c, PowerReading.Power power, Order order) throws DriverException {
        Map<Key, Last> mine = memory(c);
        Key key = new Key(c.job.id(), c.stepIndex);
        Last last = mine.get(key);
        long term = c.term();
        boolean fresh = c.firstRun || last == null || last.term() != term || last.power() != power;
        if (!fresh && c.now().isBefore(last.next())) return Attempt.WAITING;
        Duration wait = fresh ? FIRST_REORDER : last.backoff();
        int count = fresh ? 1 : last.count() + 1;
        Duration after = min(wait.multipliedBy(2), MOST_BETWEEN_ORDERS);
        try {
            order.give();
        } catch (DriverException e) {
            if (e.kind() != DriverException.Kind.BUSY) {
                mine.put(key, new Last(term, power, c.now(), wait, count));
                throw e;
            }
            Duration asked = e.retryAfter().orElse(Duration.ZERO);
            mine.put(key, new Last(term, power, c.now().plus(max(wait, asked)), after, count));
            return Attempt.BUSY;
        }
        mine.put(key, new Last(term, power, c.now().plus(wait), after, count));
        return Attempt.ORDERED;
    }

    /** How many orders this leader gave for the step (busy answers included). */
    static int count(StepContext c) {
        Last last = memory(c).get(new Key(c.job.id(), c.stepIndex));
        return last == null ? 0 : last.count();
    }

    /** When the next order may go, for progress messages; null when none was given. */
    static Instant next(StepContext c) {
        Last last = memory(c).get(new Key(c.job.id(), c.stepIndex));
        return last == null ? null : last.next();
    }

    /** The step is over: nothing to remember. */
    static void forget(StepContext c) {
        memory(c).remove(new Key(c.job.id(), c.stepIndex));
    }

    private static Map<Key, Last> memory(StepContext c) {
        return c.orders.last;
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }

    private static Duration max(Duration a, Duration b) {
        return a.compareTo(b) >= 0 ? a : b;
    }
}
