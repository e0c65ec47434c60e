package io.understudy.system.netns;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The lockstep lab's client, run inside the client's namespace: CONNECTIONS connections to a pair's door on the alias,
 * each sending {@code ID incr kN} (its own key, its own request ids) as fast as the pair answers, until the file
 * {@code DIR/stop} appears. A connection that breaks or is refused reconnects (the alias may have moved) and sends the
 * same line again: an error is never left unretried. Meanwhile a prober asks the alias {@code status} every 10 ms and
 * records which member answered, in turn.
 *
 * <p>Exactly once, from the client's side: connection N's k-th acknowledged {@code incr kN} must answer k (one more
 * than the one before — an input applied twice or lost shows as a jump). At the end each key is read back ({@code get})
 * and must equal its connection's acknowledged count. Writes {@code DIR/load-summary.json}; the longest time without
 * any acknowledgement is the outage the client saw.
 *
 * <p>Run: {@code java -cp test-classes:understudy.jar io.understudy.system.netns.LockstepLoad HOST PORT CONNECTIONS DIR}
 */
public final class LockstepLoad {
    private final String host;
    private final int port;
    private final Path dir;
    private final AtomicLong acked = new AtomicLong();
    private final AtomicLong retried = new AtomicLong();
    private final AtomicLong lastAck = new AtomicLong(System.nanoTime());
    private final AtomicLong maxGapNanos = new AtomicLong();
    private volatile long maxGapEndMillis;
    private final List<String> violations = new CopyOnWriteArrayList<>();
    private final List<String> answered = new CopyOnWriteArrayList<>();
    private volatile boolean stopping;

    private LockstepLoad(String host, int port, Path dir) {
        this.host = host;
        this.port = port;
        this.dir = dir;
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 4) {
            System.err.println("usage: LockstepLoad HOST PORT CONNECTIONS DIR");
            System.exit(2);
        }
        new LockstepLoad(args[0], Integer.parseInt(args[1]), Path.of(args[3])).run(Integer.parseInt(args[2]));
    }

    /** One connection to the door, reopened after any failure. */
    private final class Door implements AutoCloseable {
        private Socket socket;
        private BufferedReader in;
        private Writer out;

        /** Sends {@code line} until the pair answers ok, and returns the reply. */
        String call(String line) throws InterruptedException {
            while (true) {
                try {
                    if (socket == null) {
                        socket = new Socket();
                        // A reply waits at most 1 s before the line is sent again (applied once whatever happens):
                        // a connection to a host that died gets no refusal, only silence.
                        socket.connect(new InetSocketAddress(host, port), 500);
                        socket.setSoTimeout(1000);
                        socket.setTcpNoDelay(true);
                        in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
                        out = new OutputStreamWriter(socket.getOutputStream(), StandardCharsets.UTF_8);
                    }
                    out.write(line + "\n");
                    out.flush();
                    String reply = in.readLine();
                    if (reply == null) throw new IOException("connection closed");
                    if (reply.startsWith("ok ")) return reply.substring(3);
                } catch (IOException e) {
                    close();
                }
                retried.incrementAndGet();
                Thread.sleep(20);
            }
        }

        @Override
        public void close() {
            try {
                if (socket != null) socket.close();
            } catch (IOException e) {
                // dropping it anyway
            }
            socket = null;
        }
    }

    private void run(int connections) throws Exception {
        long started = System.nanoTime();
        long[] counts = new long[connections];
        List<Thread> threads = new ArrayList<>();
        for (int c = 0; c < connections; c++) {
            int conn = c;
            Thread t = new Thread(() -> {
                try (Door door = new Door()) {
                    for (long k = 1; !stopping; k++) {
                        String reply = door.call("c" + conn + "-" + k + " incr k" + conn);
                        if (!reply.equals(Long.toString(k))) violations.add("connection " + conn + ": acknowledged input " + k + " answered " + reply);
                        counts[conn] = k;
                        acked.incrementAndGet();
                        long now = System.nanoTime();
                        long gap = now - lastAck.getAndSet(now);
                        if (gap > maxGapNanos.get()) {
                            maxGapNanos.set(gap);
                            maxGapEndMillis = System.currentTimeMillis();
                        }
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }, "load-" + c);
            threads.add(t);
            t.start();
        }
        Thread prober = new Thread(this::probe, "prober");
        prober.setDaemon(true);
        prober.start();
        System.out.println("{\"event\":\"started\",\"connections\":" + connections + "}");
        System.out.flush();
        Path stop = dir.resolve("stop");
        while (!Files.exists(stop)) {
            Thread.sleep(200);
            // Replaced whole, never rewritten in place: the test reads it meanwhile (it once read "1\n83").
            Path next = dir.resolve("load-progress.next");
            Files.writeString(next, acked.get() + "\n");
            Files.move(next, dir.resolve("load-progress"), java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                    java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        }
        stopping = true;
        for (Thread t : threads) t.join();
        double seconds = (System.nanoTime() - started) / 1e9;
        // Read every key back: the state the pair holds now must hold each acknowledged input exactly once.
        List<String> mismatches = new ArrayList<>();
        try (Door door = new Door()) {
            for (int c = 0; c < connections; c++) {
                String value = door.call("final-" + c + " get k" + c);
                if (!value.equals(Long.toString(counts[c]))) mismatches.add("k" + c + " holds " + value + ", acknowledged " + counts[c]);
            }
        }
        String json = "{\"acked\":" + acked.get() + ",\"seconds\":" + String.format(java.util.Locale.ROOT, "%.1f", seconds)
                + ",\"rate\":" + Math.round(acked.get() / seconds) + ",\"max_gap_ms\":" + maxGapNanos.get() / 1_000_000
                + ",\"max_gap_end\":" + maxGapEndMillis + ",\"retried\":" + retried.get()
                + ",\"answered\":" + list(answered) + ",\"violations\":" + list(violations) + ",\"mismatches\":" + list(mismatches) + "}";
        Files.writeString(dir.resolve("load-summary.json"), json + "\n");
        System.out.println(json);
        System.exit(0);
    }

    /** Which member answers {@code status} on the alias, every 10 ms; only changes are kept. */
    private void probe() {
        while (!stopping) {
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress(host, port), 200);
                s.setSoTimeout(500);
                Writer out = new OutputStreamWriter(s.getOutputStream(), StandardCharsets.UTF_8);
                out.write("status\n");
                out.flush();
                String line = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8)).readLine();
                int at = line == null ? -1 : line.indexOf(" id=");
                if (at >= 0) {
                    String id = line.substring(at + 4).split(" ")[0];
                    if (answered.isEmpty() || !answered.get(answered.size() - 1).equals(id)) answered.add(id);
                }
            } catch (IOException e) {
                // nobody answers on the alias this instant
            }
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private static String list(List<String> xs) {
        StringBuilder b = new StringBuilder("[");
        for (String x : xs) b.append(b.length() > 1 ? "," : "").append('"').append(x.replace("\"", "'")).append('"');
        return b.append(']').toString();
    }
}
