package io.understudy.agent.linux;

import io.understudy.agent.linux.IpLink.Alias;
import io.understudy.drivers.DriverException;
import io.understudy.drivers.DriverException.Kind;
import io.understudy.drivers.process.ProcessRunner;
import io.understudy.model.time.Scheduler;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Announces a profile's alias addresses by gratuitous ARP the MX-ONE way: at once, a few repeats, then periodically,
 * so a switch or client that missed the first announcement (or aged its entry out) still learns the new MAC. All
 * timing goes through the injected {@link Scheduler}.
 *
 * <p>Each round sends one unsolicited request ({@code arping -U}) and one reply ({@code arping -A}) per address,
 * all side by side: iputils arping waits a whole second after its last probe, so a round takes about a second
 * whatever the number of addresses, and the repeats replace {@code -c 3}. A round holds this object's lock, and
 * {@link #withdraw} takes it too: once withdraw returns, no announcement for that profile can leave this server —
 * a late one would pull clients back to a server that no longer holds the address.
 */
final class Announcer {
    private static final Logger log = LoggerFactory.getLogger(Announcer.class);

    private final CommandRunner runner;
    private final String dev;
    private final Scheduler scheduler;
    private final int repeats;
    private final Duration interval;
    private final Duration period;
    private final Duration timeout;
    private final Map<String, Schedule> active = new HashMap<>();

    private static final class Schedule {
        final List<Scheduler.Cancellable> handles = new ArrayList<>();
        final java.util.concurrent.CompletableFuture<Void> firstRound = new java.util.concurrent.CompletableFuture<>();
    }

    Announcer(CommandRunner runner, LinuxHostSettings settings, Scheduler scheduler) {
        this.runner = runner;
        this.dev = settings.interfaceName();
        this.scheduler = scheduler;
        this.repeats = settings.announceRepeats();
        this.interval = settings.announceInterval();
        this.period = settings.announcePeriod();
        this.timeout = settings.commandTimeout();
    }

    /** Fails unless {@code arping} is iputils' — the other Debian arping takes the same letters with other meanings. */
    static void requireIputils(CommandRunner runner, Duration timeout) throws DriverException {
        ProcessRunner.Result r;
        try {
            r = runner.run(List.of("arping", "-V"), timeout);
        } catch (DriverException e) {
            throw new DriverException(Kind.FAILED, "arping is not usable (" + e.getMessage() + "); install Debian package iputils-arping");
        }
        String said = (r.stdout() + " " + r.stderr()).strip();
        if (r.exit() != 0 || !said.contains("iputils")) {
            throw new DriverException(Kind.FAILED, "arping is not iputils' arping (arping -V exited " + r.exit() + ": '"
                    + IpLink.firstLine(said) + "'); install Debian package iputils-arping");
        }
    }

    /**
     * Announces {@code aliases} now (without waiting for arping to finish), then on the schedule, until
     * {@link #withdraw}; replaces any earlier schedule. Failures of a round are logged; the next round retries.
     */
    synchronized void start(String profileId, List<Alias> aliases) throws DriverException {
        withdraw(profileId);
        if (aliases.isEmpty()) return;
        Schedule s = new Schedule();
        active.put(profileId, s);
        // The first round goes out at once but is not waited for: arping lingers a second after its packet, and that
        // second would be added to every takeover. It takes the lock, so it runs once this returns — unless withdrawn.
        Thread now = new Thread(() -> {
            try {
                scheduled(profileId, s, aliases);
            } finally {
                s.firstRound.complete(null);
            }
        }, "garp-" + profileId);
        now.setDaemon(true);
        now.start();
        for (int i = 1; i <= repeats; i++) {
            s.handles.add(scheduler.schedule(interval.multipliedBy(i), () -> scheduled(profileId, s, aliases)));
        }
        s.handles.add(scheduler.every(period, () -> scheduled(profileId, s, aliases)));
    }

    /** Stops announcing the profile's addresses; when this returns, none is being announced or will be. */
    synchronized void withdraw(String profileId) {
        Schedule s = active.remove(profileId);
        if (s != null) s.handles.forEach(Scheduler.Cancellable::cancel);
    }

    synchronized void withdrawAll() {
        for (String id : List.copyOf(active.keySet())) withdraw(id);
    }

    /** Waits (bounded) until the profile's first announcement round has finished; false if it has not by then. */
    boolean awaitFirstRound(String profileId, java.time.Duration limit) throws InterruptedException {
        Schedule s;
        synchronized (this) {
            s = active.get(profileId);
        }
        if (s == null) return false;
        try {
            s.firstRound.get(limit.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
            return true;
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            return false;
        }
    }

    synchronized boolean announcing(String profileId) {
        return active.containsKey(profileId);
    }

    private synchronized void scheduled(String profileId, Schedule s, List<Alias> aliases) {
        if (active.get(profileId) != s) return;
        try {
            round(aliases);
        } catch (DriverException e) {
            // The next round retries; the address may also have been removed behind the agent's back.
            log.warn("re-announcing profile {} on {} failed: {}", profileId, dev, e.getMessage());
        }
    }

    private void round(List<Alias> aliases) throws DriverException {
        List<List<String>> commands = new ArrayList<>();
        for (Alias a : aliases) {
            commands.add(List.of("arping", "-U", "-c", "1", "-I", dev, "-s", a.address(), a.address()));
            commands.add(List.of("arping", "-A", "-c", "1", "-I", dev, "-s", a.address(), a.address()));
        }
        List<ProcessRunner.Result> results = runner.runTogether(commands, timeout);
        for (int i = 0; i < results.size(); i++) {
            ProcessRunner.Result r = results.get(i);
            if (r.exit() != 0) {
                throw new DriverException(Kind.FAILED, "gratuitous ARP failed: " + CommandRunner.show(commands.get(i))
                        + " exited " + r.exit() + ": " + lastLine(r.stdout()));
            }
        }
    }

    private static String lastLine(String s) {
        String[] lines = s.strip().split("\n");
        return lines[lines.length - 1];
    }
}
