package io.understudy.agent.linux;

import io.understudy.drivers.DriverException;
import io.understudy.drivers.DriverException.Kind;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One round of duplicate address detection: an iputils {@code arping -D} per address, side by side, each listened to
 * for the window counted from the moment it was seen to have sent its probe, not from when it was started.
 *
 * <p>Why: starting arping takes several exec hops (the JVM's spawn helper, {@code ip netns exec}, arping's own set-up),
 * and on a loaded machine each waits for the scheduler — measured here at ~15 ms idle, ~80 ms with 16 busy processes on
 * two cores, 200–330 ms with 48. A window counted from the start closed before arping had probed, and the silence was
 * read as "free" (issue 10). So the round watches {@code /proc/PID/status}: arping 20221126 blocks SIGINT, SIGQUIT and
 * SIGTERM (to read them from a signalfd) just before its first probe and then sleeps only in {@code poll}; a sleeping
 * arping with those signals blocked has probed. A late start also widens that arping's window to how late it was: the
 * scheduler that delayed it may delay the answer's way to it too.
 *
 * <p>When its window is over arping is sent SIGTERM, not killed: it then reads what is queued, prints "Sent N probes"
 * and exits, so its output tells "probed, heard nothing" from "never got to probe" (killed by the signal before its
 * event loop, or "Sent 0"). Answers are judged from its output; anything else it says is a failure to probe.
 */
final class DadRound {
    /** What one arping showed. */
    enum Verdict {
        /** Someone answered for the address; {@link Outcome#detail} is the MAC. */
        ANSWERED,
        /** It probed and heard nothing within its window. */
        SILENT,
        /** As SILENT, but arping needed longer than the planned window to get its probe out. */
        SILENT_LATE,
        /** It never got a probe out (stopped first, or could not send); trying again may work. */
        NOT_PROBED,
        /** arping refused or failed (no such interface, interface down or not ARPable, not found); trying again will not help. */
        FAILED
    }

    /** @param detail the answering MAC (lower case) for ANSWERED, else what arping did or said */
    record Outcome(Verdict verdict, String detail) {}

    /** What arping -D prints for an answer; in DAD mode it also counts another host's probe (a request) for the address. */
    private static final Pattern ANSWER = Pattern.compile(
            "(?:Unicast|Broadcast) (?:reply|request) from (\\S+) \\[((?:[0-9A-Fa-f]{2}:){5}[0-9A-Fa-f]{2})\\]");
    private static final Pattern SENT = Pattern.compile("^Sent (\\d+) probes", Pattern.MULTILINE);
    /** SIGINT and SIGTERM in a SigBlk mask (bit n-1 for signal n); SIGQUIT is left out: the JVM's children inherit it blocked. */
    private static final long EVENT_LOOP_SIGNALS = (1L << 1) | (1L << 14);
    /** Exit code Java reports for a process that died of SIGTERM. */
    private static final int DIED_OF_SIGTERM = 128 + 15;
    private static final long POLL_MILLIS = 2;
    /** How long a stopped arping gets to print and exit when the budget is already spent. */
    private static final Duration LEAST_STOP_WAIT = Duration.ofSeconds(1);

    private DadRound() {}

    /**
     * Probes each address once, side by side.
     *
     * @param commands one arping -D per address, in the same order
     * @param window how long each arping listens after it was seen to probe (longer when it started late)
     * @param deadline {@link System#nanoTime()} by which every arping is stopped, probed or not
     * @return an outcome per address, in the order given
     * @throws DriverException FAILED when an arping cannot be started
     */
    static Map<String, Outcome> run(CommandRunner runner, List<String> addresses, List<List<String>> commands,
                                    Duration window, long deadline) throws DriverException {
        List<Watched> all = new ArrayList<>();
        try {
            for (List<String> command : commands) {
                long started = System.nanoTime();
                all.add(new Watched(command, runner.start(command), started));
            }
            watch(all, window.toNanos(), deadline);
            Map<String, Outcome> out = new LinkedHashMap<>();
            for (int i = 0; i < all.size(); i++) out.put(addresses.get(i), all.get(i).outcome(addresses.get(i), deadline));
            return out;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DriverException(Kind.FAILED, "interrupted during duplicate address detection for " + addresses);
        } finally {
            for (Watched w : all) w.process.destroyForcibly();
        }
    }

    /** Until each arping has exited or been asked to stop: when its window after its probe is over, or at the deadline. */
    private static void watch(List<Watched> all, long window, long deadline) throws InterruptedException {
        while (true) {
            boolean watching = false;
            long now = System.nanoTime();
            for (Watched w : all) {
                if (w.end != End.EXITED || !w.process.isAlive()) continue;
                if (w.probedAt == 0 && waitingForAnswers(w.process.pid())) {
                    w.probedAt = now;
                    w.window = Math.max(window, now - w.started);
                    w.late = now - w.started > window;
                }
                if (w.probedAt != 0 && now - w.probedAt >= w.window) {
                    w.end = End.WINDOW_OVER;
                    stop(w.process);
                } else if (now - deadline >= 0) {
                    w.end = End.DEADLINE;
                    stop(w.process);
                } else {
                    watching = true;
                }
            }
            if (!watching) return;
            Thread.sleep(POLL_MILLIS);
        }
    }

    /** SIGTERM through the handle: {@link Process#destroy()} would also close the output we are about to read. */
    private static void stop(Process p) {
        p.toHandle().destroy();
    }

    /** Whether arping {@code pid} sleeps in its event loop, so has sent its first probe (see the class comment). */
    static boolean waitingForAnswers(long pid) {
        try {
            return waitingForAnswers(Files.readString(Path.of("/proc", Long.toString(pid), "status"), StandardCharsets.UTF_8));
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    /** The same, read from the text of {@code /proc/PID/status}. */
    static boolean waitingForAnswers(String status) {
        String name = null;
        String state = null;
        long blocked = 0;
        for (String line : status.split("\n")) {
            if (line.startsWith("Name:")) name = line.substring(5).strip();
            else if (line.startsWith("State:")) state = line.substring(6).strip();
            else if (line.startsWith("SigBlk:")) blocked = Long.parseUnsignedLong(line.substring(7).strip(), 16);
        }
        return "arping".equals(name) && state != null && state.startsWith("S")
                && (blocked & EVENT_LOOP_SIGNALS) == EVENT_LOOP_SIGNALS;
    }

    /** How an arping's run ended. */
    enum End {
        /** It exited by itself: an answer, a failure, or its own whole-second deadline after its probe. */
        EXITED,
        /** Stopped after listening for its whole window from its probe. */
        WINDOW_OVER,
        /** Stopped at the deadline before it had probed and listened for its window: its probe, if any, had too little time. */
        DEADLINE
    }

    /**
     * Reads what one arping did.
     *
     * @param late whether it needed longer than the planned window to get its probe out
     */
    static Outcome judge(String address, List<String> command, int exit, String out, End end, boolean late) {
        if (exit == 1) {
            Matcher m = ANSWER.matcher(out);
            while (m.find()) {
                if (m.group(1).equals(address)) return new Outcome(Verdict.ANSWERED, m.group(2).toLowerCase(Locale.ROOT));
            }
        }
        Matcher sent = SENT.matcher(out);
        int probes = sent.find() ? Integer.parseInt(sent.group(1)) : -1;
        if (end == End.DEADLINE) return new Outcome(Verdict.NOT_PROBED, "time ran out before arping had probed and listened for its window");
        if (exit == 0 && probes > 0) return new Outcome(late ? Verdict.SILENT_LATE : Verdict.SILENT, "heard nothing");
        if (exit == 0 && probes == 0) return new Outcome(Verdict.NOT_PROBED, "arping sent no probe");
        if (end == End.WINDOW_OVER && exit == DIED_OF_SIGTERM) {
            return new Outcome(Verdict.NOT_PROBED, "arping had not sent a probe when stopped");
        }
        String said = IpLink.firstLine(complaint(out));
        return new Outcome(Verdict.FAILED, CommandRunner.show(command) + " exited " + exit + (said.isEmpty() ? "" : ": " + said));
    }

    /** arping's complaint ("arping: Device eth9 not available."), else the first line it printed. */
    private static String complaint(String out) {
        for (String line : out.strip().split("\n")) if (line.startsWith("arping:")) return line;
        return out.strip();
    }

    /** One arping and what the watch learnt of it. */
    private static final class Watched {
        final List<String> command;
        final Process process;
        final long started;
        long probedAt;
        long window;
        boolean late;
        End end = End.EXITED;

        Watched(List<String> command, Process process, long started) {
            this.command = command;
            this.process = process;
            this.started = started;
        }

        Outcome outcome(String address, long deadline) throws InterruptedException {
            long left = Math.max(deadline - System.nanoTime(), LEAST_STOP_WAIT.toNanos());
            if (!process.waitFor(left, TimeUnit.NANOSECONDS)) {
                return new Outcome(Verdict.NOT_PROBED, "arping did not stop when asked");
            }
            String out;
            try {
                out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                return new Outcome(Verdict.NOT_PROBED, "cannot read arping's output: " + e.getMessage());
            }
            return judge(address, command, process.exitValue(), out, end, late);
        }
    }
}
