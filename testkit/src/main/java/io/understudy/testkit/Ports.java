package io.understudy.testkit;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Free TCP ports for tests, taken below the kernel's ephemeral range. A port the kernel handed out with
 * {@code new ServerSocket(0)} lies inside that range, so while a node that owned it is down (a restart test) any
 * outgoing connection may get it as its local port, and a peer reconnecting to it over loopback can even connect to
 * itself; the node then cannot listen there again ("Raft port … is already in use"). Below the range only a
 * listener can hold a port.
 */
public final class Ports {
    private Ports() {}

    private static final int LOWEST = 10_000;
    private static final int ATTEMPTS = 200;

    /** A port nothing listens on now, outside the ephemeral range. */
    public static int free() {
        return freeRun(1);
    }

    /** The first of {@code length} consecutive ports nothing listens on now (a process's HTTP, Raft, … ports). */
    public static int freeRun(int length) {
        int below = ephemeralStart();
        ThreadLocalRandom random = ThreadLocalRandom.current();
        for (int i = 0; i < ATTEMPTS; i++) {
            int first = LOWEST + random.nextInt(below - LOWEST - length);
            boolean all = true;
            for (int p = first; p < first + length && all; p++) all = bindable(p);
            if (all) return first;
        }
        throw new IllegalStateException("no " + length + " free ports between " + LOWEST + " and " + below + " after " + ATTEMPTS + " tries");
    }

    private static boolean bindable(int port) {
        try (ServerSocket s = new ServerSocket()) {
            s.setReuseAddress(true);
            s.bind(new InetSocketAddress(port));
            return true;
        } catch (IOException inUse) {
            return false;
        }
    }

    /** The first port of {@code net.ipv4.ip_local_port_range}; Linux' default 32768 when it cannot be read. */
    static int ephemeralStart() {
        try {
            String[] range = Files.readString(Path.of("/proc/sys/net/ipv4/ip_local_port_range")).trim().split("\\s+");
            int start = Integer.parseInt(range[0]);
            return start > LOWEST + 1000 ? start : 32768;
        } catch (IOException | RuntimeException unknown) {
            return 32768;
        }
    }
}
