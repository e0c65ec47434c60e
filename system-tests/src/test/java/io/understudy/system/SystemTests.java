package io.understudy.system;

import com.fasterxml.jackson.databind.JsonNode;
import io.understudy.state.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import io.understudy.testkit.Patience;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

/**
 * Small things every system test needs: waiting for a process's ready line, starting several at once, the admin
 * token a server wrote, JSON arrays as streams.
 */
public final class SystemTests {
    private SystemTests() {}

    /** The admin token in a {@code tokens.json} that a server (or the first node of a group) wrote. */
    public static String adminToken(Path tokens) throws IOException {
        for (JsonNode t : Json.MAPPER.readTree(tokens.toFile())) {
            if (t.get("role").asText().equalsIgnoreCase("admin")) return t.get("token").asText();
        }
        throw new IllegalStateException("no admin token in " + tokens);
    }

    public static Stream<JsonNode> stream(JsonNode array) {
        return StreamSupport.stream(array.spliterator(), false);
    }

    /** How long to wait for something that takes {@code base} on an idle machine: see {@link Patience}. */
    public static Duration patience(Duration base) {
        return Patience.scaled(base);
    }

    /** Waits (bounded, scaled by {@link #patience}) until the process has written {@code text} to its log; fails with the log if it exits or is late. */
    public static void awaitLine(Path log, String text, Process p, Duration limit) throws IOException, InterruptedException {
        limit = patience(limit);
        long deadline = System.nanoTime() + limit.toNanos();
        while (System.nanoTime() < deadline) {
            if (Files.exists(log) && Files.readString(log).contains(text)) return;
            if (!p.isAlive()) break;
            Thread.sleep(100);
        }
        throw new AssertionError("'" + text + "' not seen in " + log + (p.isAlive() ? "" : " (exited " + p.exitValue() + ")")
                + ":\n" + (Files.exists(log) ? Files.readString(log) : ""));
    }

    /** Something to do for one name, that may fail. */
    public interface Start {
        void start(String name) throws Exception;
    }

    /** Runs {@code start} for every name at once (the nodes of a group must start together), bounded; fails with the first failure. */
    public static void inParallel(List<String> names, Duration limit, Start start) throws InterruptedException {
        List<Throwable> failures = new ArrayList<>();
        List<Thread> threads = new ArrayList<>();
        for (String n : names) {
            Thread t = new Thread(() -> {
                try {
                    start.start(n);
                } catch (Throwable e) {
                    synchronized (failures) {
                        failures.add(e);
                    }
                }
            });
            t.start();
            threads.add(t);
        }
        long deadline = System.nanoTime() + patience(limit).toNanos();
        for (Thread t : threads) t.join(Math.max(1, (deadline - System.nanoTime()) / 1_000_000));
        synchronized (failures) {
            if (!failures.isEmpty()) throw new AssertionError("starting " + names + " failed", failures.get(0));
        }
    }

    /**
     * Free ports, each followed by two more free ones for a node's HTTP port (its Raft port is +1, its Redfish event
     * port +2); the last two are single ports.
     */
    public static List<Integer> freePortTriples(int n) throws IOException {
        List<Integer> out = new ArrayList<>();
        for (int attempt = 0; attempt < 200 && out.size() < n; attempt++) {
            // Below the ephemeral range: a node killed and started again must find its ports still free.
            int p = io.understudy.testkit.Ports.freeRun(3);
            if (out.contains(p) || out.contains(p + 1) || out.contains(p + 2)) continue;
            out.add(p);
            out.add(p + 1);
            out.add(p + 2);
        }
        if (out.size() < n) throw new IOException("no " + n + " free ports");
        return out.subList(0, n);
    }
}
