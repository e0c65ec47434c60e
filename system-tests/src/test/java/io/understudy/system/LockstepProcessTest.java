package io.understudy.system;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A lockstep pair as three real processes ({@code understudy lockstep-member}): the primary is killed with kill -9
 * while a client sends requests with ids, then restarted on its log. Every acknowledged request is in the twin's state
 * exactly once, the client saw no error it did not retry to success, and the members' digests agree afterwards.
 */
class LockstepProcessTest {
    @TempDir
    Path dir;

    private final Map<String, Process> members = new java.util.concurrent.ConcurrentHashMap<>();
    private final java.util.concurrent.atomic.AtomicInteger starts = new java.util.concurrent.atomic.AtomicInteger();
    private String peers;
    private final Map<String, Integer> fronts = new HashMap<>();

    @AfterEach
    void stop() {
        members.values().forEach(Process::destroyForcibly);
    }

    private void start(String id) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar",
                UnderstudyProcess.JAR.toString(), "lockstep-member", "--pair", "ledger", "--id", id, "--peers", peers,
                "--data-dir", dir.resolve(id).toString(), "--digest-every", "50"));
        if (fronts.containsKey(id)) cmd.addAll(List.of("--front", "127.0.0.1:" + fronts.get(id)));
        Path log = dir.resolve(id + "-" + starts.incrementAndGet() + ".log");   // a fresh log for each start: the wait reads it
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        members.put(id, p);
        SystemTests.awaitLine(log, "understudy lockstep-member " + id, p, Duration.ofSeconds(60));
    }

    /** A client of the pair: one connection to a member's door, moved to the other member when it fails. */
    private static final class Client implements AutoCloseable {
        private final List<Integer> doors;
        private int at;
        private Socket socket;
        private BufferedReader in;
        private Writer out;
        int retries;

        Client(List<Integer> doors) {
            this.doors = doors;
        }

        /** Sends {@code id input} until a member answers ok (bounded), switching doors after a broken connection. */
        String send(String id, String input, Duration limit) throws InterruptedException {
            long deadline = System.nanoTime() + limit.toNanos();
            String last = null;
            while (System.nanoTime() < deadline) {
                try {
                    if (socket == null) connect();
                    out.write(id + " " + input + "\n");
                    out.flush();
                    String line = in.readLine();
                    if (line == null) throw new IOException("connection closed");
                    if (line.startsWith("ok ")) return line.substring(3);
                    last = line;
                } catch (IOException e) {
                    last = e.toString();
                    closeSocket();
                    at = (at + 1) % doors.size();
                }
                retries++;
                Thread.sleep(50);
            }
            throw new AssertionError("request " + id + " not answered within " + limit + ": " + last);
        }

        String status(int door) throws IOException {
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", door), 5000);
                s.setSoTimeout(10_000);
                Writer w = new OutputStreamWriter(s.getOutputStream(), StandardCharsets.UTF_8);
                w.write("status\n");
                w.flush();
                return new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8)).readLine();
            }
        }

        private void connect() throws IOException {
            socket = new Socket();
            socket.connect(new InetSocketAddress("127.0.0.1", doors.get(at)), 5000);
            socket.setSoTimeout(45_000);
            in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
            out = new OutputStreamWriter(socket.getOutputStream(), StandardCharsets.UTF_8);
        }

        private void closeSocket() {
            try {
                if (socket != null) socket.close();
            } catch (IOException e) {
                // dropping it anyway
            }
            socket = null;
        }

        @Override
        public void close() {
            closeSocket();
        }
    }

    private static String field(String status, String name) {
        for (String w : status.split(" ")) if (w.startsWith(name + "=")) return w.substring(name.length() + 1);
        return null;
    }

    @Test
    void primaryKilledWith9UnderLoad_everyAcknowledgedRequestIsInTheTwinOnce_andTheRestartedPrimaryCatchesUp() throws Exception {
        List<Integer> ports = SystemTests.freePortTriples(6);   // two runs of three: Raft ports, then client doors
        int raft = ports.get(0);
        int door = ports.get(3);
        peers = "primary=primary@127.0.0.1:" + raft + ",twin=twin@127.0.0.1:" + (raft + 1) + ",arbiter=arbiter@127.0.0.1:" + (raft + 2);
        fronts.put("primary", door);
        fronts.put("twin", door + 1);
        SystemTests.inParallel(List.of("primary", "twin", "arbiter"), Duration.ofSeconds(90), this::start);

        int n = 600;
        Duration limit = SystemTests.patience(Duration.ofSeconds(60));
        List<Long> replies = new ArrayList<>();
        try (Client client = new Client(List.of(door, door + 1))) {
            for (int i = 0; i < n; i++) {
                if (i == 200) {
                    members.get("primary").destroyForcibly();   // kill -9
                    assertThat(members.get("primary").waitFor(20, TimeUnit.SECONDS)).isTrue();
                }
                replies.add(Long.parseLong(client.send("req-" + i, "incr c", limit)));
            }
            assertThat(client.retries).as("the client went to the twin after the kill").isPositive();
            // Exactly once: n requests applied once each, so the replies are 1..n, none twice.
            assertThat(new TreeSet<>(replies)).hasSize(n).first().isEqualTo(1L);
            assertThat(new TreeSet<>(replies).last()).isEqualTo((long) n);
            assertThat(client.send("check", "get c", limit)).isEqualTo(Integer.toString(n));

            start("primary");
            long deadline = System.nanoTime() + SystemTests.patience(Duration.ofSeconds(60)).toNanos();
            String p = null;
            String t = null;
            while (System.nanoTime() < deadline) {
                try {
                    p = client.status(door);
                    t = client.status(door + 1);
                } catch (IOException e) {
                    p = e.toString();
                }
                if (p != null && t != null && String.valueOf(n + 1).equals(field(p, "seq")) && String.valueOf(n + 1).equals(field(t, "seq"))) break;
                Thread.sleep(200);
            }
            assertThat(field(p, "seq")).as("primary %s, twin %s", p, t).isEqualTo(String.valueOf(n + 1));
            assertThat(field(p, "digest")).as("primary %s, twin %s", p, t).isEqualTo(field(t, "digest"));
            assertThat(field(p, "divergence")).isEqualTo("none");
            assertThat(field(t, "divergence")).isEqualTo("none");
        }
    }
}
