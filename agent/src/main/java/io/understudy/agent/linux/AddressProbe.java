package io.understudy.agent.linux;

import io.understudy.drivers.DriverException;
import io.understudy.drivers.DriverException.Kind;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Duplicate address detection (RFC 5227 probes) with iputils {@code arping -D}: asks the LAN who has an address,
 * from source 0.0.0.0 so no neighbour learns anything, before this server adds it as an alias. Someone answering
 * means foreign equipment or another server holds the address, and taking it too would split its traffic.
 *
 * <p>iputils 20221126 takes {@code -w} and {@code -i} in whole seconds only ({@code -w 0.3} is "invalid argument"),
 * and without an answer arping waits at least a second. So the wait is this class's, not arping's: arping is given
 * whole seconds and stopped when {@code wait} after its probe is over ({@link DadRound}). With an answer,
 * {@code arping -D} exits at once (exit 1, printing "Unicast reply from A [MAC]"). Several addresses are probed side by
 * side, so a profile's probe takes about {@code wait} whatever their number.
 *
 * <p>Silence counts as "free" only when it is known that a probe went out and was listened to for the window. An
 * address is probed again (up to {@value #ROUNDS} rounds, each window twice the last) when arping did not get its
 * probe out, or when it got it out later than the window — a loaded machine, where one more probe is cheap insurance.
 * An address still not probed when the rounds or the time ({@code budget}) run out is refused, never assumed free:
 * issue 10 took an address someone else held because a probe that never ran was read as silence.
 */
final class AddressProbe {
    /** Probe rounds at most: the first, and two more for addresses still in doubt. */
    static final int ROUNDS = 3;

    private final CommandRunner runner;
    private final String dev;
    private final Duration wait;
    private final Duration budget;

    /**
     * @param wait how long to listen for an answer after the probe; zero turns probing off (every address counts as free)
     * @param budget how long one {@link #answering} may take in all, every round included, before it gives up and refuses
     */
    AddressProbe(CommandRunner runner, String dev, Duration wait, Duration budget) {
        this.runner = runner;
        this.dev = dev;
        this.wait = wait;
        this.budget = budget;
    }

    boolean enabled() {
        return !wait.isZero();
    }

    /** The MAC (lower case) of whoever answers for {@code address} within the wait, or empty when nobody does. */
    Optional<String> answeringMac(String address) throws DriverException {
        return Optional.ofNullable(answering(List.of(address)).get(address));
    }

    /**
     * Probes every address at once, and again those in doubt. Once one is answered the others are not probed again:
     * the profile is refused anyway.
     *
     * @return the addresses someone answered for, each with the answering MAC (lower case), in the order given
     * @throws DriverException FAILED, naming the address and why, when one could not be probed: arping failed (not
     *     found, no such interface, interface down or not ARPable) or did not get a probe out in time
     */
    Map<String, String> answering(List<String> addresses) throws DriverException {
        Map<String, String> found = new LinkedHashMap<>();
        if (!enabled() || addresses.isEmpty()) return found;
        long deadline = System.nanoTime() + budget.toNanos();
        List<String> todo = List.copyOf(addresses);
        Set<String> lateOnce = new HashSet<>();
        Map<String, String> doubt = new LinkedHashMap<>();
        Duration window = wait;
        for (int round = 1; round <= ROUNDS && !todo.isEmpty() && System.nanoTime() - deadline < 0; round++) {
            List<List<String>> commands = new ArrayList<>();
            for (String a : todo) commands.add(command(a, window));
            Map<String, DadRound.Outcome> heard = DadRound.run(runner, todo, commands, window, deadline);
            List<String> again = new ArrayList<>();
            doubt.clear();
            for (int i = 0; i < todo.size(); i++) {
                String address = todo.get(i);
                DadRound.Outcome o = heard.get(address);
                switch (o.verdict()) {
                    case ANSWERED -> found.put(address, o.detail());
                    case SILENT -> { }
                    // Silence from a late probe is believed after one more probe, or in the last round.
                    case SILENT_LATE -> {
                        if (round < ROUNDS && lateOnce.add(address)) again.add(address);
                    }
                    case NOT_PROBED -> {
                        again.add(address);
                        doubt.put(address, o.detail());
                    }
                    case FAILED -> throw new DriverException(Kind.FAILED, "duplicate address detection for " + address
                            + " failed: " + o.detail() + "; not taking it without knowing whether another host holds it");
                }
            }
            if (!found.isEmpty()) return found;
            todo = again;
            window = window.multipliedBy(2);
        }
        if (todo.isEmpty()) return found;
        List<String> each = new ArrayList<>();
        for (String a : todo) each.add(a + " (" + doubt.getOrDefault(a, "no time was left to probe it") + ")");
        throw new DriverException(Kind.FAILED, "duplicate address detection could not probe " + String.join(", ", each)
                + " on " + dev + " within " + budget.toMillis() + " ms and " + ROUNDS + " rounds; not taking "
                + (todo.size() == 1 ? "it" : "them") + " without knowing whether another host holds "
                + (todo.size() == 1 ? "it" : "them"));
    }

    /** The first round's arping. */
    List<String> command(String address) {
        return command(address, wait);
    }

    /** arping's whole seconds, at least the window: it must not give up (and probe no more) before the window is over. */
    private List<String> command(String address, Duration window) {
        long seconds = Math.max(1, (window.toMillis() + 999) / 1000);
        return List.of("arping", "-D", "-c", Long.toString(seconds), "-w", Long.toString(seconds), "-I", dev, address);
    }
}
