package io.understudy.drivers.redfish;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.understudy.drivers.HardwareEvents;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Receives the events Redfish BMCs push to their subscribers and reports critical ones (and alerts without a
 * severity) as hardware events of the server the subscription was made for. Each subscription carries a context
 * with an unguessable token, so nobody who can merely reach this port can fail a server with a forged event.
 */
public final class RedfishEventReceiver implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(RedfishEventReceiver.class);
    public static final String PATH = "/understudy/redfish-events";

    private final HttpServer server;
    private final ExecutorService executor = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "redfish-events");
        t.setDaemon(true);
        return t;
    });
    private final HardwareEvents sink;
    private final Clock clock;
    private final Map<String, String> serverByContext = new ConcurrentHashMap<>();
    private final SecureRandom random = new SecureRandom();

    /** Listens on {@code bind} (port 0 picks a free one); {@code clock} stamps events, as BMC clocks drift. */
    public RedfishEventReceiver(InetSocketAddress bind, HardwareEvents sink, Clock clock) throws IOException {
        this.sink = sink;
        this.clock = clock;
        this.server = HttpServer.create(bind, 16);
        server.createContext(PATH, this::handle);
        server.setExecutor(executor);
        server.start();
    }

    /** The URL to give BMCs as the subscription's Destination. */
    public URI destination() {
        InetSocketAddress a = server.getAddress();
        return URI.create("http://" + a.getHostString() + ":" + a.getPort() + PATH);
    }

    /** The Context to subscribe with for {@code serverId}: events carrying it are that server's. */
    public String contextFor(String serverId) {
        byte[] b = new byte[16];
        random.nextBytes(b);
        String ctx = "understudy:" + serverId + ":" + HexFormat.of().formatHex(b);
        serverByContext.put(ctx, serverId);
        return ctx;
    }

    private void handle(HttpExchange ex) throws IOException {
        try (ex; InputStream in = ex.getRequestBody()) {
            if (!"POST".equals(ex.getRequestMethod())) {
                ex.sendResponseHeaders(405, -1);
                return;
            }
            JsonNode payload;
            try {
                payload = RedfishClient.JSON.readTree(in.readNBytes(256 * 1024));
            } catch (IOException e) {
                ex.sendResponseHeaders(400, -1);
                return;
            }
            String server = serverByContext.get(payload.path("Context").asText(""));
            if (server == null) {
                log.warn("Redfish event with an unknown context from {} ignored", ex.getRemoteAddress().getAddress().getHostAddress());
                ex.sendResponseHeaders(403, -1);
                return;
            }
            for (JsonNode e : payload.path("Events")) {
                String severity = e.path("MessageSeverity").asText(e.path("Severity").asText(""));
                boolean hardware = "Critical".equalsIgnoreCase(severity) || (severity.isEmpty() && "Alert".equals(e.path("EventType").asText()));
                String text = e.path("Message").asText(e.path("MessageId").asText("event"));
                if (hardware) sink.hardwareEvent(server, text, clock.instant());
                else log.info("Redfish event for {} ({}): {}", server, severity.isEmpty() ? "no severity" : severity, text);
            }
            // Answered at once whatever the content: a BMC retries events it thinks were not delivered.
            ex.sendResponseHeaders(204, -1);
        }
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
