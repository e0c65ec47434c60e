package io.understudy.system.netns;

import io.understudy.drivers.process.ProcessRunner;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A small data center of Linux network namespaces on one bridge: one namespace per host, each with {@code eth0} on
 * 198.18.0.0/24, and the bridge in a namespace of its own, so nothing touches the machine's own network. A host's
 * "power" is its link and its processes: {@link #cut} takes the link down, {@link #killAll} kills every process in it.
 * Closing removes every namespace, even after a failed test.
 */
public final class Lab implements AutoCloseable {
    private static final Duration CMD = Duration.ofSeconds(10);

    private final String prefix;
    private final Map<String, String> addresses = new LinkedHashMap<>();
    private final List<String> created = new ArrayList<>();

    /** @param hosts host name → last octet of its 198.18.0.x address */
    public Lab(Map<String, Integer> hosts) throws IOException {
        prefix = "us" + Integer.toHexString(ThreadLocalRandom.current().nextInt(0x1000, 0xffff));
        try {
            String br = ns("br");
            sh("ip", "netns", "add", br);
            created.add(br);
            sh("ip", "-n", br, "link", "add", "br0", "type", "bridge");
            sh("ip", "-n", br, "link", "set", "br0", "up");
            for (var h : hosts.entrySet()) {
                String n = ns(h.getKey());
                sh("ip", "netns", "add", n);
                created.add(n);
                String port = "v" + h.getKey();
                sh("ip", "-n", br, "link", "add", port, "type", "veth", "peer", "name", "eth0", "netns", n);
                sh("ip", "-n", br, "link", "set", port, "master", "br0", "up");
                String address = "198.18.0." + h.getValue();
                sh("ip", "-n", n, "addr", "add", address + "/24", "dev", "eth0");
                sh("ip", "-n", n, "link", "set", "eth0", "up");
                sh("ip", "-n", n, "link", "set", "lo", "up");
                addresses.put(h.getKey(), address);
            }
        } catch (IOException | RuntimeException e) {
            close();
            throw e;
        }
    }

    public String ns(String host) {
        return prefix + "-" + host;
    }

    public String address(String host) {
        return addresses.get(host);
    }

    /** The command prefix that runs a program inside {@code host}. */
    public List<String> in(String host) {
        return List.of("ip", "netns", "exec", ns(host));
    }

    /** Runs a command inside {@code host} to completion; fails on a non-zero exit. */
    public String exec(String host, String... cmd) throws IOException {
        List<String> all = new ArrayList<>(in(host));
        all.addAll(List.of(cmd));
        return sh(all.toArray(String[]::new));
    }

    /** Starts a long-running program inside {@code host}, its output to {@code log}. */
    public Process start(String host, Path log, Map<String, String> env, List<String> cmd) throws IOException {
        List<String> all = new ArrayList<>(in(host));
        all.addAll(cmd);
        ProcessBuilder pb = new ProcessBuilder(all).redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().putAll(env);
        return pb.start();
    }

    /** The host's link goes down at the bridge: nothing it sends arrives anywhere, nothing reaches it. */
    public void cut(String host) throws IOException {
        sh("ip", "-n", ns("br"), "link", "set", "v" + host, "down");
    }

    public void heal(String host) throws IOException {
        sh("ip", "-n", ns("br"), "link", "set", "v" + host, "up");
    }

    /** kill -9 of every process in the host. */
    public void killAll(String host) throws IOException {
        String pids = sh("ip", "netns", "pids", ns(host)).strip();
        if (pids.isEmpty()) return;
        List<String> kill = new ArrayList<>(List.of("kill", "-9"));
        kill.addAll(List.of(pids.split("\\s+")));
        run(kill);
    }

    public String mac(String host) throws IOException {
        String out = exec(host, "cat", "/sys/class/net/eth0/address");
        return out.strip();
    }

    /** The MAC that {@code host}'s neighbour table holds for {@code address}, if any. */
    public Optional<String> neighbour(String host, String address) throws IOException {
        String out = exec(host, "ip", "neigh", "show", address, "dev", "eth0");
        for (String word : out.split("\\s+")) {
            if (word.matches("([0-9a-f]{2}:){5}[0-9a-f]{2}")) return Optional.of(word);
        }
        return Optional.empty();
    }

    /** Whether {@code host} has {@code address} configured on eth0 right now. */
    public boolean holds(String host, String address) throws IOException {
        return exec(host, "ip", "-o", "addr", "show", "dev", "eth0").contains(" " + address + "/");
    }

    @Override
    public void close() {
        for (int i = created.size() - 1; i >= 0; i--) {
            String n = created.get(i);
            try {
                String pids = run(List.of("ip", "netns", "pids", n)).stdout().strip();
                if (!pids.isEmpty()) {
                    List<String> kill = new ArrayList<>(List.of("kill", "-9"));
                    kill.addAll(List.of(pids.split("\\s+")));
                    run(kill);
                }
                run(List.of("ip", "netns", "del", n));
            } catch (IOException e) {
                // best effort: keep removing the others
            }
        }
        created.clear();
    }

    private static String sh(String... cmd) throws IOException {
        ProcessRunner.Result r = run(List.of(cmd));
        if (r.exit() != 0) throw new IOException(String.join(" ", cmd) + " exited " + r.exit() + ": " + r.stderr().strip());
        return r.stdout();
    }

    private static ProcessRunner.Result run(List<String> cmd) throws IOException {
        try {
            return ProcessRunner.run(cmd, Map.of(), null, CMD);
        } catch (ProcessRunner.TimedOut e) {
            throw new IOException(String.join(" ", cmd) + " timed out", e);
        }
    }
}
