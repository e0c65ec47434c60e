package io.understudy.sim;

import io.understudy.drivers.CallContext;
import io.understudy.drivers.DriverException;
import io.understudy.drivers.DriverException.Kind;
import io.understudy.drivers.PowerDriver;
import io.understudy.drivers.PowerReading;
import io.understudy.model.time.Scheduler;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

/**
 * BMCs in front of the simulator that are as awkward as real ones: a power action takes seconds of the scheduler's
 * time before it reaches the server (which reads on meanwhile), and a new order while one is in progress either
 * starts the action again ({@link Mode#RESTARTS}) or is answered busy ({@link Mode#BUSY}, "operation in progress").
 * {@link Mode#PROMPT} passes orders straight on. Counts every power order that reached it, so tests can say how
 * often a caller ordered.
 */
public final class AwkwardBmc implements PowerDriver {
    /** How the BMC takes power orders. */
    public enum Mode {
        /** Straight on to the server, as the simulator does. */
        PROMPT,
        /** Each action takes its time; a new order restarts it. */
        RESTARTS,
        /** Each action takes its time; an order meanwhile is answered busy. */
        BUSY
    }

    private record Action(long seq, Instant due, Scheduler.Cancellable task) {}

    private final PowerDriver inner;
    private final Scheduler scheduler;
    private final Map<String, Action> inProgress = new HashMap<>();
    private final Map<String, Integer> orders = new HashMap<>();
    private final Map<String, Instant> busyUntil = new HashMap<>();
    private long seq;
    private Mode mode = Mode.PROMPT;
    private Duration actionTime = Duration.ZERO;

    public AwkwardBmc(PowerDriver inner, Scheduler scheduler) {
        this.inner = inner;
        this.scheduler = scheduler;
    }

    /** From now on power orders are taken this way, each action taking {@code time}. */
    public synchronized AwkwardBmc mode(Mode m, Duration time) {
        mode = m;
        actionTime = time;
        return this;
    }

    /** The BMC of {@code server} is busy with something of its own (an operator's order, a firmware task) for {@code d}. */
    public synchronized void busyFor(String server, Duration d) {
        busyUntil.put(server, scheduler.now().plus(d));
    }

    /** Power orders for {@code server} that reached this BMC, taken or answered busy. */
    public synchronized int orders(String server) {
        return orders.getOrDefault(server, 0);
    }

    @Override
    public void powerOff(String server, CallContext ctx) throws DriverException {
        order(server, PowerReading.Power.OFF, ctx);
    }

    @Override
    public void powerOn(String server, CallContext ctx) throws DriverException {
        order(server, PowerReading.Power.ON, ctx);
    }

    @Override
    public PowerReading read(String server, CallContext ctx) throws DriverException {
        return inner.read(server, ctx);
    }

    private synchronized void order(String server, PowerReading.Power power, CallContext ctx) throws DriverException {
        // A BMC that does not answer, or an order from an old term, fails here as it would at the server.
        PowerReading now = inner.read(server, ctx);
        orders.merge(server, 1, Integer::sum);
        Instant busy = busyUntil.get(server);
        if (busy != null && scheduler.now().isBefore(busy)) throw busy(server, Duration.between(scheduler.now(), busy));
        if (mode == Mode.PROMPT) {
            if (power == PowerReading.Power.OFF) inner.powerOff(server, ctx);
            else inner.powerOn(server, ctx);
            return;
        }
        Action running = inProgress.get(server);
        if (running != null) {
            if (mode == Mode.BUSY) throw busy(server, Duration.between(scheduler.now(), running.due()));
            running.task().cancel();   // RESTARTS: the new order starts the action over
        } else if (now.power() == power) {
            return;   // already there: idempotent, as the contract asks
        }
        long id = ++seq;
        Scheduler.Cancellable task = scheduler.schedule(actionTime, () -> land(server, power, ctx, id));
        inProgress.put(server, new Action(id, scheduler.now().plus(actionTime), task));
    }

    private synchronized void land(String server, PowerReading.Power power, CallContext ctx, long id) {
        Action a = inProgress.get(server);
        if (a == null || a.seq() != id) return;
        inProgress.remove(server);
        try {
            if (power == PowerReading.Power.OFF) inner.powerOff(server, ctx);
            else inner.powerOn(server, ctx);
        } catch (DriverException e) {
            // The action failed at the server; the power state read back says so.
        }
    }

    private static DriverException busy(String server, Duration left) {
        Duration after = Duration.ofSeconds(Math.max(1, (left.toMillis() + 999) / 1000));
        return new DriverException(Kind.BUSY, "BMC of " + server + ": operation in progress, try again later", after);
    }
}
