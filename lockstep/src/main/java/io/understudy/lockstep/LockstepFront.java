package io.understudy.lockstep;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeoutException;

/**
 * A member's door for clients: one TCP line per request, {@code REQUEST-ID INPUT}, answered {@code ok REPLY} or
 * {@code error WHY} on one line. A client that loses its connection sends the same line to the other member (or to
 * the alias once it moved) and gets the first reply, applied once. The line {@code status} answers what the member
 * knows of the pair ({@code ok seq=… digest=… leading=… divergence=… leader=… deaf=MS id=…}; the member's id tells a client
 * which host answered on the alias); the line {@code resync} has a member that is not leading resync from the leader
 * (the control plane's re-pair job asks it of a twin that hears no leader while the primary leads).
 */
public final class LockstepFront implements AutoCloseable {
    /**
     * Connections served at once; one more is closed at once (its client tries again). Well above a client's usual pool, so a {@code status}
     * asked beside a busy client is still answered (found by the lockstep lab: 64 client connections took every thread
     * of a 64-thread door, and the alias's {@code status} went unanswered).
     */
    static final int CONNECTIONS = 512;

    private final ServerSocket socket;
    private final LockstepMember member;
    private final LockstepClient client;
    private final Duration deadline;
    private final ExecutorService pool = new java.util.concurrent.ThreadPoolExecutor(0, CONNECTIONS, 30, java.util.concurrent.TimeUnit.SECONDS,
            new java.util.concurrent.SynchronousQueue<>(), r -> {
        Thread t = new Thread(r, "lockstep-front");
        t.setDaemon(true);
        return t;
    });
    private final Thread acceptor;

    private LockstepFront(ServerSocket socket, LockstepMember member, LockstepClient client, Duration deadline) {
        this.socket = socket;
        this.member = member;
        this.client = client;
        this.deadline = deadline;
        this.acceptor = new Thread(this::accept, "lockstep-front-accept");
        acceptor.setDaemon(true);
    }

    /** Listens on {@code bind}; each input goes to the pair through {@code client}, waiting at most {@code deadline}. */
    public static LockstepFront start(InetSocketAddress bind, LockstepMember member, LockstepClient client, Duration deadline) throws IOException {
        ServerSocket s = new ServerSocket();
        s.setReuseAddress(true);
        s.bind(bind);
        LockstepFront f = new LockstepFront(s, member, client, deadline);
        f.acceptor.start();
        return f;
    }

    public int port() {
        return socket.getLocalPort();
    }

    private void accept() {
        while (!socket.isClosed()) {
            try {
                Socket c = socket.accept();
                try {
                    pool.execute(() -> serve(c));
                } catch (java.util.concurrent.RejectedExecutionException full) {
                    c.close();
                }
            } catch (IOException e) {
                if (socket.isClosed()) return;
            }
        }
    }

    private void serve(Socket c) {
        try (c; BufferedReader in = new BufferedReader(new InputStreamReader(c.getInputStream(), StandardCharsets.UTF_8));
             Writer out = new OutputStreamWriter(c.getOutputStream(), StandardCharsets.UTF_8)) {
            for (String line; (line = in.readLine()) != null; ) {
                out.write(answer(line) + "\n");
                out.flush();
            }
        } catch (SocketException e) {
            // the client went away
        } catch (IOException e) {
            // the same: nothing to answer to
        }
    }

    String answer(String line) {
        if (line.equals("status")) {
            LockstepMember.Status s = member.status();
            return "ok seq=" + s.seq() + " digest=" + s.digest() + " leading=" + s.leading() + " divergence="
                    + (s.divergence() == null ? "none" : s.divergence().seq()) + " leader=" + (s.leader() == null ? "none" : s.leader())
                    + " deaf=" + s.deafMillis() + " id=" + s.id();
        }
        if (line.equals("resync")) {
            String refused = member.resyncSoon();
            return refused == null ? "ok resyncing" : "error " + refused;
        }
        int space = line.indexOf(' ');
        if (space <= 0 || space == line.length() - 1) return "error expected a line \"REQUEST-ID INPUT\", got \"" + line + "\"";
        try {
            byte[] reply = client.send(line.substring(0, space), line.substring(space + 1).getBytes(StandardCharsets.UTF_8), deadline);
            return "ok " + new String(reply, StandardCharsets.UTF_8).replace('\n', ' ');
        } catch (TimeoutException e) {
            return "error " + e.getMessage().replace('\n', ' ');
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "error interrupted";
        }
    }

    @Override
    public void close() throws IOException {
        socket.close();
        pool.shutdownNow();
    }
}
