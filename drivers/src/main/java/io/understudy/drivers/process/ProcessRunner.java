package io.understudy.drivers.process;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Runs a BMC tool (ipmitool, a fence agent) with a bounded time: secrets go in through the environment or standard
 * input, never the command line where {@code ps} shows them; on timeout the tool and everything it started are
 * killed, so a hung BMC session cannot pile up processes.
 */
public final class ProcessRunner {
    private static final int MAX_OUTPUT = 64 * 1024;

    private ProcessRunner() {}

    /** What the tool did: exit code, its output, and how long it took. */
    public record Result(int exit, String stdout, String stderr, Duration took) {}

    /** The tool did not finish in time and was killed. */
    public static final class TimedOut extends Exception {
        public TimedOut(Duration after) {
            super("did not finish within " + after.toMillis() + " ms; killed");
        }
    }

    public static Result run(List<String> command, Map<String, String> env, String stdin, Duration timeout)
            throws IOException, TimedOut {
        ProcessBuilder pb = new ProcessBuilder(command);
        pb.environment().putAll(env);
        long start = System.nanoTime();
        Process p = pb.start();
        CompletableFuture<String> out = drain(p.getInputStream());
        CompletableFuture<String> err = drain(p.getErrorStream());
        try (OutputStream in = p.getOutputStream()) {
            if (stdin != null) in.write(stdin.getBytes(StandardCharsets.UTF_8));
        } catch (IOException ignored) {
            // The tool may exit before reading its input; its exit code says what happened.
        }
        try {
            if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                kill(p);
                throw new TimedOut(timeout);
            }
            return new Result(p.exitValue(), out.get(2, TimeUnit.SECONDS), err.get(2, TimeUnit.SECONDS),
                    Duration.ofNanos(System.nanoTime() - start));
        } catch (InterruptedException e) {
            kill(p);
            Thread.currentThread().interrupt();
            throw new IOException("interrupted");
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            kill(p);
            throw new IOException("cannot read the output of " + command.get(0));
        }
    }

    /**
     * Kills the tool and its children (a fence agent's ipmitool), children first so none is re-parented alive; a
     * no-op for a process that has exited.
     */
    public static void kill(Process p) {
        p.descendants().forEach(ProcessHandle::destroyForcibly);
        p.destroyForcibly();
        try {
            p.waitFor(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static CompletableFuture<String> drain(InputStream s) {
        CompletableFuture<String> f = new CompletableFuture<>();
        Thread t = new Thread(() -> {
            ByteArrayOutputStream buf = new ByteArrayOutputStream();
            byte[] chunk = new byte[4096];
            try (s) {
                int n;
                while ((n = s.read(chunk)) >= 0) {
                    if (buf.size() < MAX_OUTPUT) buf.write(chunk, 0, Math.min(n, MAX_OUTPUT - buf.size()));
                }
            } catch (IOException ignored) {
                // Killed tool: keep what was read.
            }
            f.complete(buf.toString(StandardCharsets.UTF_8));
        }, "bmc-tool-output");
        t.setDaemon(true);
        t.start();
        return f;
    }
}
