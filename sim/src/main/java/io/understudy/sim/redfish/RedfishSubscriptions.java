package io.understudy.sim.redfish;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.understudy.drivers.AgentListener;
import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The simulated BMCs' EventService: subscriptions (Destination, Context, optional OriginResources filter) and the
 * delivery of an Alert to each matching subscriber when a hardware event is injected into a server. Deliveries run
 * on their own thread, in order, so fault injection never waits on a subscriber.
 */
final class RedfishSubscriptions implements AgentListener {
    private static final Logger log = LoggerFactory.getLogger(RedfishSubscriptions.class);

    /** One subscription: where to post, the context to echo, and which systems' events it wants (empty: all). */
    record Subscription(String id, URI destination, String context, List<String> origins) {}

    private final Map<String, Subscription> subscriptions = new ConcurrentHashMap<>();
    private final AtomicLong ids = new AtomicLong();
    private final AtomicLong eventIds = new AtomicLong();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final ExecutorService delivery = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "sim-redfish-events");
        t.setDaemon(true);
        return t;
    });

    /** Adds a subscription from a POSTed EventDestination; refuses destinations off this host (the simulator never calls out). */
    Subscription subscribe(JsonNode body) {
        URI dest = URI.create(body.path("Destination").asText(""));
        if (!"http".equals(dest.getScheme()) && !"https".equals(dest.getScheme())) throw new IllegalArgumentException("Destination must be an http(s) URL");
        try {
            if (!InetAddress.getByName(dest.getHost()).isLoopbackAddress()) throw new IllegalArgumentException("Destination must be on this host (loopback)");
        } catch (java.net.UnknownHostException e) {
            throw new IllegalArgumentException("unknown Destination host " + dest.getHost());
        }
        List<String> origins = new ArrayList<>();
        for (JsonNode o : body.path("OriginResources")) origins.add(o.path("@odata.id").asText());
        Subscription s = new Subscription(Long.toString(ids.incrementAndGet()), dest, body.path("Context").asText(""), origins);
        subscriptions.put(s.id(), s);
        return s;
    }

    boolean unsubscribe(String id) {
        return subscriptions.remove(id) != null;
    }

    List<String> ids() {
        return subscriptions.keySet().stream().sorted().toList();
    }

    Subscription get(String id) {
        return subscriptions.get(id);
    }

    ObjectNode resource(Subscription s) {
        ObjectNode n = RedfishResources.JSON.createObjectNode();
        n.put("@odata.id", RedfishResources.SUBSCRIPTIONS + "/" + s.id()).put("@odata.type", "#EventDestination.v1_13_0.EventDestination")
                .put("Id", s.id()).put("Name", "Subscription " + s.id()).put("Destination", s.destination().toString())
                .put("Context", s.context()).put("Protocol", "Redfish");
        n.putArray("EventTypes").add("Alert");
        var o = n.putArray("OriginResources");
        s.origins().forEach(id -> o.addObject().put("@odata.id", id));
        return n;
    }

    @Override
    public void heartbeat(String server, Instant at) {
        // Heartbeats are the agent's business, not the BMC's.
    }

    @Override
    public void hardwareEvent(String server, String text, Instant at) {
        String origin = RedfishResources.SYSTEMS + "/" + server;
        for (Subscription s : subscriptions.values()) {
            if (!s.origins().isEmpty() && !s.origins().contains(origin)) continue;
            ObjectNode event = RedfishResources.JSON.createObjectNode();
            event.put("@odata.type", "#Event.v1_7_0.Event").put("Id", Long.toString(eventIds.incrementAndGet()))
                    .put("Name", "Event Array").put("Context", s.context());
            event.putArray("Events").addObject().put("EventType", "Alert").put("EventId", Long.toString(eventIds.get()))
                    .put("EventTimestamp", at.toString()).put("MessageSeverity", "Critical").put("Message", text)
                    .put("MessageId", "ResourceEvent.1.0.ResourceErrorsDetected")
                    .putObject("OriginOfCondition").put("@odata.id", origin);
            delivery.submit(() -> post(s, event.toString()));
        }
    }

    private void post(Subscription s, String body) {
        for (int attempt = 0; attempt < 3; attempt++) {
            try {
                HttpResponse<Void> r = http.send(HttpRequest.newBuilder(s.destination()).timeout(Duration.ofSeconds(2))
                        .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                        HttpResponse.BodyHandlers.discarding());
                if (r.statusCode() < 500) return;
            } catch (java.io.IOException e) {
                log.debug("event delivery to {} failed: {}", s.destination(), e.toString());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
        log.warn("event for subscription {} not delivered to {}", s.id(), s.destination());
    }

    void close() {
        delivery.shutdownNow();
    }
}
