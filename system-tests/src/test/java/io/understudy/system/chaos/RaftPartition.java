package io.understudy.system.chaos;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * Cuts one node off from its peers' Raft traffic by dropping loopback packets to and from its Raft port (iptables,
 * root only). Every rule it adds is removed again: by {@link #healAll} at the end of each trial and by a shutdown
 * hook if the JVM stops first, so an aborted campaign leaves no rule behind.
 */
final class RaftPartition implements AutoCloseable {
    private static final String COMMENT = "understudy-chaos";
    private final Set<Integer> blocked = new LinkedHashSet<>();
    private final Thread hook = new Thread(this::healAll, "raft-partition-heal");

    RaftPartition() {
        Runtime.getRuntime().addShutdownHook(hook);
    }

    /** Whether this machine lets the harness add rules: root and an iptables that answers. */
    static boolean available() {
        if (!"root".equals(System.getProperty("user.name"))) return false;
        try {
            return run(List.of("iptables", "-w", "-L", "INPUT", "-n")) == 0;
        } catch (IOException | InterruptedException e) {
            return false;
        }
    }

    synchronized void block(int port) throws IOException, InterruptedException {
        if (!blocked.add(port)) return;
        for (List<String> rule : rules(port)) check(run(with("-I", rule)), rule);
    }

    synchronized void heal(int port) throws IOException, InterruptedException {
        if (!blocked.remove(port)) return;
        for (List<String> rule : rules(port)) {
            // Deleted until none is left: a rule added twice by an aborted run goes too.
            while (run(with("-D", rule)) == 0) { }
        }
    }

    synchronized void healAll() {
        for (int port : List.copyOf(blocked)) {
            try {
                heal(port);
            } catch (IOException | InterruptedException e) {
                System.err.println("could not remove the iptables rules of port " + port + ": " + e);
            }
        }
    }

    synchronized int blockedCount() {
        return blocked.size();
    }

    @Override
    public void close() {
        healAll();
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shuttingDown) {
            // the hook runs anyway
        }
    }

    private static List<List<String>> rules(int port) {
        String p = String.valueOf(port);
        return List.of(
                List.of("INPUT", "-i", "lo", "-p", "tcp", "--dport", p, "-m", "comment", "--comment", COMMENT, "-j", "DROP"),
                List.of("INPUT", "-i", "lo", "-p", "tcp", "--sport", p, "-m", "comment", "--comment", COMMENT, "-j", "DROP"));
    }

    private static List<String> with(String op, List<String> rule) {
        List<String> cmd = new ArrayList<>(List.of("iptables", "-w", op));
        cmd.addAll(rule);
        return cmd;
    }

    private static void check(int exit, List<String> rule) throws IOException {
        if (exit != 0) throw new IOException("iptables could not add " + rule + " (exit " + exit + ")");
    }

    private static int run(List<String> cmd) throws IOException, InterruptedException {
        Path out = Files.createTempFile("iptables", ".out");
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(out.toFile()).start();
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return -1;
            }
            return p.exitValue();
        } finally {
            Files.deleteIfExists(out);
        }
    }
}
