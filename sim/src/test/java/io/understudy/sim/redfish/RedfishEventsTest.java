package io.understudy.sim.redfish;

import static org.assertj.core.api.Assertions.assertThat;

import io.understudy.drivers.CallContext;
import io.understudy.drivers.redfish.RedfishDriver;
import io.understudy.drivers.redfish.RedfishEventReceiver;
import io.understudy.sim.Fault;
import java.net.InetSocketAddress;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A BMC's hardware event reaches understudy through a Redfish EventService subscription, without any heartbeat lost. */
class RedfishEventsTest {
    static SelfSignedCertificate cert;

    @TempDir
    Path dir;
    RedfishPeer peer;
    RedfishEventReceiver receiver;
    final LinkedBlockingQueue<String> events = new LinkedBlockingQueue<>();
    final Clock clock = Clock.fixed(Instant.parse("2026-01-01T00:00:00Z"), ZoneOffset.UTC);

    @BeforeAll
    static void certificate() throws Exception {
        cert = RedfishPeer.certificate();
    }

    @BeforeEach
    void start() throws Exception {
        peer = new RedfishPeer(dir, cert);
        receiver = new RedfishEventReceiver(new InetSocketAddress("127.0.0.1", 0),
                (server, text, at) -> events.add(server + ": " + text + " @" + at), clock);
    }

    @AfterEach
    void stop() {
        receiver.close();
        peer.close();
    }

    @Test
    void subscribe_thenHardwareEventInjected_reportsItForThatServerOnly() throws Exception {
        CallContext ctx = CallContext.probe(1);
        RedfishDriver srv1 = new RedfishDriver(peer.bmc("srv-1"));
        RedfishDriver srv2 = new RedfishDriver(peer.bmc("srv-2"));
        assertThat(srv1.subscribe(receiver.destination(), receiver.contextFor("srv-1"), ctx)).hasValueSatisfying(
                uri -> assertThat(uri).startsWith("/redfish/v1/EventService/Subscriptions/"));
        assertThat(srv2.subscribe(receiver.destination(), receiver.contextFor("srv-2"), ctx)).isPresent();

        peer.sim.inject("srv-1", Fault.HW_EVENT);

        assertThat(events.poll(5, TimeUnit.SECONDS)).isEqualTo("srv-1: uncorrectable memory error (DIMM 3) @2026-01-01T00:00:00Z");
        assertThat(events.poll(300, TimeUnit.MILLISECONDS)).as("srv-2's subscription filters on its own system").isNull();
    }

    @Test
    void receive_eventWithForgedContext_isRefusedAndIgnored() throws Exception {
        receiver.contextFor("srv-1");
        String forged = "{\"Context\":\"understudy:srv-1:00\",\"Events\":[{\"EventType\":\"Alert\",\"MessageSeverity\":\"Critical\",\"Message\":\"fake\"}]}";
        HttpResponse<Void> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(receiver.destination())
                .POST(HttpRequest.BodyPublishers.ofString(forged)).build(), HttpResponse.BodyHandlers.discarding());
        assertThat(r.statusCode()).isEqualTo(403);
        assertThat(events).isEmpty();
    }
}
