package io.understudy.drivers;

import io.understudy.model.config.DataCenterConfig;
import io.understudy.model.config.ProfileSpec;
import io.understudy.model.config.ServerSpec;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * A real pair member's status, asked over TCP: the line {@code status} to the member's front on the server's address
 * (else its hostname) at the profile's {@code pairPort}, answered {@code ok seq=N digest=HEX leading=true|false
 * divergence=none|N leader=ID|none deaf=MS}; and the line {@code resync}. Connect and read are bounded (2 s each): a member that does not answer is as good as down.
 */
public final class FrontPairDriver implements PairDriver {
    static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(2);

    private final Supplier<DataCenterConfig> config;

    public FrontPairDriver(Supplier<DataCenterConfig> config) {
        this.config = config;
    }

    @Override
    public PairStatus status(String server, ProfileSpec profile, CallContext ctx) throws DriverException {
        return parse(server, ask(server, profile, "status"));
    }

    /** The line {@code resync}: answered {@code ok resyncing}, or {@code error WHY} (a leader refuses). */
    @Override
    public void resync(String server, ProfileSpec profile, CallContext ctx) throws DriverException {
        String line = ask(server, profile, "resync");
        if (line == null || !line.startsWith("ok")) {
            throw new DriverException(DriverException.Kind.FAILED, "pair member on " + server + " refused to resync: " + line);
        }
    }

    /** One line to the member's front and its one-line answer, connect and read bounded. */
    private String ask(String server, ProfileSpec profile, String request) throws DriverException {
        ServerSpec s = config.get().server(server).orElseThrow(() -> new DriverException(DriverException.Kind.FAILED, "unknown server '" + server + "'"));
        if (profile.pairPort() == null) throw new DriverException(DriverException.Kind.FAILED, "profile " + profile.id() + " has no pairPort");
        String host = s.address() != null ? s.address().replaceAll("/.*", "") : s.hostname();
        int timeout = (int) DEFAULT_TIMEOUT.toMillis();
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(host, profile.pairPort()), timeout);
            socket.setSoTimeout(timeout);
            OutputStream out = socket.getOutputStream();
            out.write((request + "\n").getBytes(StandardCharsets.UTF_8));
            out.flush();
            return new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8)).readLine();
        } catch (SocketTimeoutException e) {
            throw new DriverException(DriverException.Kind.TIMEOUT, "pair member of " + profile.id() + " on " + server + " (" + host + ":" + profile.pairPort()
                    + ") did not answer within " + timeout + " ms");
        } catch (IOException e) {
            throw new DriverException(DriverException.Kind.UNREACHABLE, "pair member of " + profile.id() + " on " + server + " (" + host + ":"
                    + profile.pairPort() + "): " + e.getMessage());
        }
    }

    static PairStatus parse(String server, String line) throws DriverException {
        if (line == null || !line.startsWith("ok ")) {
            throw new DriverException(DriverException.Kind.FAILED, "pair member on " + server + " answered \"" + line + "\", expected \"ok seq=…\"");
        }
        Map<String, String> f = new HashMap<>();
        for (String kv : line.substring(3).split(" ")) {
            int eq = kv.indexOf('=');
            if (eq > 0) f.put(kv.substring(0, eq), kv.substring(eq + 1));
        }
        try {
            String div = f.getOrDefault("divergence", "none");
            String leader = f.getOrDefault("leader", "none");
            return new PairStatus(Long.parseLong(f.get("seq")), f.get("digest"), Boolean.parseBoolean(f.get("leading")),
                    div.equals("none") ? null : Long.valueOf(div), leader.equals("none") ? null : leader, Long.parseLong(f.getOrDefault("deaf", "0")));
        } catch (RuntimeException e) {
            throw new DriverException(DriverException.Kind.FAILED, "pair member on " + server + " answered \"" + line + "\": " + e.getMessage());
        }
    }
}
