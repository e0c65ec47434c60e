package io.understudy.agent.linux;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.understudy.drivers.peers.Peers;
import io.understudy.drivers.process.ProcessRunner;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * A small LAN of network namespaces for one test, on the real kernel: a bridge in its own namespace and one namespace
 * per host, each with {@code eth0} on the bridge and an address from 198.18.0.0/15 (the benchmarking range, never
 * routed). Names carry a random tag ({@code us-1a2b3c-a}) so parallel builds never meet; the root namespace is not
 * touched. {@link #close} kills what runs inside and deletes every namespace, also after a half-built setup.
 */
final class NetNs implements AutoCloseable {
    static final String DEV = "eth0";
    private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(10);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final String tag = "us-" + Integer.toHexString(0x100000 + ThreadLocalRandom.current().nextInt(0xEFFFFF));
    private final List<String> namespaces = new ArrayList<>();
    private final Map<String, Integer> hosts = new LinkedHashMap<>();

    private NetNs() {}

    /** Skips the test without root, ip, ping or iputils arping — or fails it when {@code UNDERSTUDY_REQUIRE_PEERS=1}. */
    static void requireKernel() {
        if (!"root".equals(System.getProperty("user.name"))) skipOrFail("not root: network namespaces need CAP_NET_ADMIN");
        Peers.require("ip", "arping", "ping");
        try {
            ProcessRunner.Result v = ProcessRunner.run(List.of("arping", "-V"), Map.of(), null, COMMAND_TIMEOUT);
            if (!(v.stdout() + v.stderr()).contains("iputils")) skipOrFail("arping is not iputils' (Debian package iputils-arping)");
        } catch (IOException | ProcessRunner.TimedOut e) {
            skipOrFail("cannot run arping -V: " + e.getMessage());
        }
    }

    private static void skipOrFail(String why) {
        if ("1".equals(System.getenv(Peers.REQUIRE))) Assertions.fail(Peers.REQUIRE + "=1 but " + why);
        Assumptions.abort(why);
    }

    /** A bridge and one namespace per host name; host {@code i} gets 198.18.0.{i+1}/24 on eth0. */
    static NetNs create(String... hostNames) {
        NetNs net = new NetNs();
        try {
            net.build(hostNames);
            return net;
        } catch (RuntimeException | Error e) {
            net.close();
            throw e;
        }
    }

    private void build(String... hostNames) {
        String br = addNamespace("br");
        ip("-n", br, "link", "set", "lo", "up");
        ip("-n", br, "link", "add", "br0", "type", "bridge");
        ip("-n", br, "link", "set", "br0", "up");
        for (int i = 0; i < hostNames.length; i++) {
            String ns = addNamespace(hostNames[i]);
            hosts.put(hostNames[i], i);
            String port = "p" + i;
            ip("-n", br, "link", "add", port, "type", "veth", "peer", "name", DEV, "netns", ns);
            ip("-n", br, "link", "set", port, "master", "br0");
            ip("-n", br, "link", "set", port, "up");
            ip("-n", ns, "link", "set", "lo", "up");
            ip("-n", ns, "link", "set", DEV, "up");
            ip("-n", ns, "addr", "add", address(hostNames[i]) + "/24", "dev", DEV);
        }
    }

    private String addNamespace(String suffix) {
        String ns = tag + "-" + suffix;
        ip("netns", "add", ns);
        namespaces.add(ns);
        return ns;
    }

    String ns(String host) {
        if (!hosts.containsKey(host)) throw new IllegalArgumentException("no host " + host + " in " + hosts.keySet());
        return tag + "-" + host;
    }

    String address(String host) {
        return "198.18.0." + (hosts.get(host) + 1);
    }

    /** Runs LinuxHost's commands inside {@code host}'s namespace. */
    CommandRunner runner(String host) {
        return CommandRunner.inNamespace(ns(host));
    }

    String mac(String host) {
        return json(ip("-n", ns(host), "-j", "link", "show", "dev", DEV)).get(0).path("address").asText();
    }

    /** The IPv4 addresses on {@code host}'s eth0, as {@code address/prefix}. */
    List<String> addresses(String host) {
        List<String> out = new ArrayList<>();
        for (JsonNode a : json(ip("-n", ns(host), "-j", "addr", "show", "dev", DEV)).get(0).path("addr_info")) {
            if ("inet".equals(a.path("family").asText())) out.add(a.path("local").asText() + "/" + a.path("prefixlen").asInt());
        }
        return out;
    }

    /** The MAC {@code host} has in its neighbour table for {@code address}, without sending anything. */
    Optional<String> neighbour(String host, String address) {
        JsonNode all = json(ip("-n", ns(host), "-j", "neigh", "show", address, "dev", DEV));
        if (all.isEmpty() || all.get(0).path("lladdr").isMissingNode()) return Optional.empty();
        return Optional.of(all.get(0).path("lladdr").asText());
    }

    /** Overwrites {@code host}'s neighbour entry as if it had learnt a wrong MAC ({@code stale}, so ARP may correct it). */
    void poisonNeighbour(String host, String address, String mac) {
        ip("-n", ns(host), "neigh", "replace", address, "lladdr", mac, "dev", DEV, "nud", "stale");
    }

    boolean ping(String from, String address) {
        return run(List.of("ip", "netns", "exec", ns(from), "ping", "-c", "1", "-W", "2", address)).exit() == 0;
    }

    /** The processes running in {@code host}'s namespace. */
    List<Long> pids(String host) {
        List<Long> out = new ArrayList<>();
        for (String pid : run(List.of("ip", "netns", "pids", ns(host))).stdout().split("\\s+")) {
            if (!pid.isBlank()) out.add(Long.parseLong(pid));
        }
        return out;
    }

    /** Polls {@code condition} every 20 ms, at most {@code limit} and at most 500 times; returns whether it held. */
    static boolean await(BooleanSupplier condition, Duration limit) {
        long end = System.nanoTime() + limit.toNanos();
        for (int i = 0; i < 500; i++) {
            if (condition.getAsBoolean()) return true;
            if (System.nanoTime() > end) return false;
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return condition.getAsBoolean();
    }

    /** Kills the processes left in each namespace (a workload under test), then deletes the namespaces. */
    @Override
    public void close() {
        List<String> failures = new ArrayList<>();
        for (int i = namespaces.size() - 1; i >= 0; i--) {
            String ns = namespaces.get(i);
            try {
                ProcessRunner.Result pids = run(List.of("ip", "netns", "pids", ns));
                for (String pid : pids.stdout().split("\\s+")) {
                    if (!pid.isBlank()) ProcessHandle.of(Long.parseLong(pid)).ifPresent(ProcessHandle::destroyForcibly);
                }
                ProcessRunner.Result del = run(List.of("ip", "netns", "del", ns));
                if (del.exit() != 0) failures.add(ns + ": " + del.stderr().strip());
            } catch (RuntimeException e) {
                failures.add(ns + ": " + e.getMessage());
            }
        }
        namespaces.clear();
        assertThat(failures).as("namespaces left behind").isEmpty();
    }

    private String ip(String... args) {
        List<String> argv = new ArrayList<>(List.of("ip"));
        argv.addAll(List.of(args));
        ProcessRunner.Result r = run(argv);
        if (r.exit() != 0) throw new IllegalStateException(String.join(" ", argv) + " exited " + r.exit() + ": " + r.stderr().strip());
        return r.stdout();
    }

    private static ProcessRunner.Result run(List<String> argv) {
        try {
            return ProcessRunner.run(argv, Map.of(), null, COMMAND_TIMEOUT);
        } catch (IOException | ProcessRunner.TimedOut e) {
            throw new IllegalStateException(String.join(" ", argv) + ": " + e.getMessage(), e);
        }
    }

    private static JsonNode json(String text) {
        try {
            return JSON.readTree(text);
        } catch (IOException e) {
            throw new IllegalStateException("not JSON: " + text, e);
        }
    }
}
