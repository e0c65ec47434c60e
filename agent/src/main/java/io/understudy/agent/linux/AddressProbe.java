package io.understudy.agent.linux;

import io.understudy.drivers.DriverException;
import io.understudy.drivers.DriverException.Kind;
import io.understudy.drivers.process.ProcessRunner;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Duplicate address detection (RFC 5227 probes) with iputils {@code arping -D}: asks the LAN who has an address,
 * from source 0.0.0.0 so no neighbour learns anything, before this server adds it as an alias. Someone answering
 * means foreign equipment or another server holds the address, and taking it too would split its traffic.
 *
 * <p>iputils 20221126 takes {@code -w} and {@code -i} in whole seconds only ({@code -w 0.3} is "invalid argument"),
 * and without an answer arping waits at least a second. So the wait is this class's, not arping's: arping is given
 * whole seconds and killed when {@code wait} is over; having heard nothing by then is the answer "free". With an
 * answer, {@code arping -D} exits at once (exit 1, printing "Unicast reply from A [MAC]"), within a few milliseconds
 * on a LAN. Several addresses are probed side by side, so a profile's probe takes {@code wait} whatever their number.
 */
final class AddressProbe {
    /** What arping -D prints for an answer; in DAD mode it also counts another host's probe (a request) for the address. */
    private static final Pattern ANSWER = Pattern.compile(
            "(?:Unicast|Broadcast) (?:reply|request) from (\\S+) \\[((?:[0-9A-Fa-f]{2}:){5}[0-9A-Fa-f]{2})\\]");

    private final CommandRunner runner;
    private final String dev;
    private final Duration wait;

    /** @param wait how long to wait for an answer; zero turns probing off (every address counts as free) */
    AddressProbe(CommandRunner runner, String dev, Duration wait) {
        this.runner = runner;
        this.dev = dev;
        this.wait = wait;
    }

    boolean enabled() {
        return !wait.isZero();
    }

    /** The MAC (lower case) of whoever answers for {@code address} within the wait, or empty when nobody does. */
    Optional<String> answeringMac(String address) throws DriverException {
        return Optional.ofNullable(answering(List.of(address)).get(address));
    }

    /**
     * Probes every address at once, for one wait in all.
     *
     * @return the addresses someone answered for, each with the answering MAC (lower case), in the order given
     * @throws DriverException FAILED when arping fails (no such interface, interface down, refused options)
     */
    Map<String, String> answering(List<String> addresses) throws DriverException {
        Map<String, String> found = new LinkedHashMap<>();
        if (!enabled() || addresses.isEmpty()) return found;
        List<List<String>> commands = new ArrayList<>();
        for (String a : addresses) commands.add(command(a));
        List<Optional<ProcessRunner.Result>> results = runner.runTogetherFor(commands, wait);
        for (int i = 0; i < addresses.size(); i++) {
            Optional<ProcessRunner.Result> r = results.get(i);
            // Still probing when the wait was over: nobody answered in time.
            if (r.isEmpty()) continue;
            String address = addresses.get(i);
            judge(address, commands.get(i), r.get()).ifPresent(mac -> found.put(address, mac));
        }
        return found;
    }

    /** arping's whole seconds, at least the wait: it must not give up (and probe no more) before the wait is over. */
    List<String> command(String address) {
        long seconds = Math.max(1, (wait.toMillis() + 999) / 1000);
        return List.of("arping", "-D", "-c", Long.toString(seconds), "-w", Long.toString(seconds), "-I", dev, address);
    }

    /** Exit 0: nobody answered. Exit 1 with an answer line: that MAC holds it. Anything else: arping failed. */
    static Optional<String> judge(String address, List<String> command, ProcessRunner.Result r) throws DriverException {
        if (r.exit() == 0) return Optional.empty();
        String out = r.stdout() + "\n" + r.stderr();
        if (r.exit() == 1) {
            Matcher m = ANSWER.matcher(out);
            while (m.find()) {
                if (m.group(1).equals(address)) return Optional.of(m.group(2).toLowerCase(Locale.ROOT));
            }
        }
        throw new DriverException(Kind.FAILED, "duplicate address detection for " + address + " failed: "
                + CommandRunner.show(command) + " exited " + r.exit() + ": " + IpLink.firstLine(lastError(out)));
    }

    /** arping's complaint ("arping: Device eth9 not available."), else the first line it printed. */
    private static String lastError(String out) {
        for (String line : out.strip().split("\n")) if (line.startsWith("arping:")) return line;
        return out.strip();
    }
}
