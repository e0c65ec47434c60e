package io.understudy.agent.linux;

import io.understudy.drivers.DriverException;
import io.understudy.drivers.DriverException.Kind;
import io.understudy.drivers.process.ProcessRunner;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Runs every command {@link LinuxHost} issues, each bounded by a timeout, behind an optional prefix: in production the
 * prefix is empty; tests use {@code ip netns exec NS} so the same code drives the real kernel inside a namespace.
 */
public final class CommandRunner {
    private final List<String> prefix;

    public CommandRunner(List<String> prefix) {
        this.prefix = List.copyOf(prefix);
    }

    /** Runs commands on this machine as they are. */
    public static CommandRunner local() {
        return new CommandRunner(List.of());
    }

    /** Runs commands inside network namespace {@code ns} (needs root). */
    public static CommandRunner inNamespace(String ns) {
        return new CommandRunner(List.of("ip", "netns", "exec", ns));
    }

    /** Runs {@code argv} with no extra environment. */
    public ProcessRunner.Result run(List<String> argv, Duration limit) throws DriverException {
        return run(argv, Map.of(), limit);
    }

    /**
     * Runs {@code argv}; the exit code is the caller's to judge.
     *
     * @throws DriverException TIMEOUT when it ran out of time (it and its children were killed), FAILED when it could
     *     not be started or its output could not be read
     */
    public ProcessRunner.Result run(List<String> argv, Map<String, String> env, Duration limit) throws DriverException {
        List<String> command = command(argv);
        try {
            return ProcessRunner.run(command, env, null, limit);
        } catch (ProcessRunner.TimedOut e) {
            throw new DriverException(Kind.TIMEOUT, show(argv) + " " + e.getMessage());
        } catch (IOException e) {
            String hint = String.valueOf(e.getMessage()).startsWith("cannot read the output")
                    ? " (a command that starts a daemon must redirect the daemon's output, or the daemon holds ours open)" : "";
            throw new DriverException(Kind.FAILED, "cannot run " + show(argv) + ": " + e.getMessage() + hint);
        }
    }

    /**
     * Runs short, quiet commands side by side and returns their results in order. Made for arping, which waits a
     * whole interval after its last probe: a gratuitous ARP round for several addresses then takes one interval, not
     * one per address. Output is read after exit, so each command must print little (well under a pipe's 64 KiB).
     */
    public List<ProcessRunner.Result> runTogether(List<List<String>> argvs, Duration limit) throws DriverException {
        List<Optional<ProcessRunner.Result>> done = runTogetherFor(argvs, limit);
        List<ProcessRunner.Result> results = new ArrayList<>();
        for (int i = 0; i < done.size(); i++) {
            if (done.get(i).isEmpty()) {
                throw new DriverException(Kind.TIMEOUT, show(argvs.get(i)) + " did not finish within " + limit.toMillis() + " ms; killed");
            }
            results.add(done.get(i).get());
        }
        return results;
    }

    /**
     * Runs commands side by side for at most {@code window}. Each one that exited within the window gives its result
     * (output and exit code, read after exit: each must print little); each still running then is killed and gives
     * empty. Empty says only that time ran out, not what the command would have found: on a loaded machine it may not
     * have started its work yet (duplicate address detection watches its arping instead, see {@link DadRound}).
     *
     * @throws DriverException FAILED when one cannot be started
     */
    List<Optional<ProcessRunner.Result>> runTogetherFor(List<List<String>> argvs, Duration window) throws DriverException {
        List<Process> started = new ArrayList<>();
        long begin = System.nanoTime();
        long deadline = begin + window.toNanos();
        try {
            for (List<String> argv : argvs) {
                started.add(new ProcessBuilder(command(argv)).redirectErrorStream(true).start());
            }
            List<Optional<ProcessRunner.Result>> results = new ArrayList<>();
            for (Process p : started) {
                if (!p.waitFor(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) {
                    results.add(Optional.empty());
                    continue;
                }
                String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                results.add(Optional.of(new ProcessRunner.Result(p.exitValue(), out, "", Duration.ofNanos(System.nanoTime() - begin))));
            }
            return results;
        } catch (IOException e) {
            throw new DriverException(Kind.FAILED, "cannot run " + show(argvs.get(Math.min(started.size(), argvs.size() - 1)))
                    + ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DriverException(Kind.FAILED, "interrupted while running " + show(argvs.get(0)));
        } finally {
            for (Process p : started) ProcessRunner.kill(p);
        }
    }

    /**
     * Starts {@code argv} (output and errors merged) and leaves it to the caller, who must stop it. The prefix must
     * exec the command, as {@code ip netns exec} does, so the process is the command itself.
     *
     * @throws DriverException FAILED when it cannot be started
     */
    Process start(List<String> argv) throws DriverException {
        try {
            return new ProcessBuilder(command(argv)).redirectErrorStream(true).start();
        } catch (IOException e) {
            throw new DriverException(Kind.FAILED, "cannot run " + show(argv) + ": " + e.getMessage());
        }
    }

    private List<String> command(List<String> argv) {
        List<String> all = new ArrayList<>(prefix);
        all.addAll(argv);
        return all;
    }

    static String show(List<String> argv) {
        return String.join(" ", argv);
    }
}
