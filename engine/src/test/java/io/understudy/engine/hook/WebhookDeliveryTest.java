package io.understudy.engine.hook;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import io.understudy.model.config.DataCenterConfig;
import io.understudy.model.config.HookEvent;
import io.understudy.model.config.HookSpec;
import io.understudy.sim.DemoDataCenter;
import io.understudy.state.AlarmType;
import io.understudy.state.HookFiring;
import io.understudy.state.Json;
import io.understudy.state.LocalStateStore;
import io.understudy.state.command.ApplyConfig;
import io.understudy.state.command.RaiseAlarm;
import io.understudy.testkit.DrivenScheduler;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A webhook against a real local receiver: signed, retried with back-off, the same idempotency key on every attempt. */
class WebhookDeliveryTest {
    record Received(String signature, String key, byte[] body) {}

    @TempDir
    Path dir;
    final DrivenScheduler clock = new DrivenScheduler();
    final LocalStateStore store = new LocalStateStore();
    final List<Received> received = new CopyOnWriteArrayList<>();
    final AtomicInteger failFirst = new AtomicInteger();
    final CountDownLatch release = new CountDownLatch(1);
    final ExecutorService receiverThreads = Executors.newCachedThreadPool();
    volatile boolean hang;
    HttpServer receiver;

    @BeforeEach
    void receive() throws Exception {
        receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        receiver.createContext("/understudy", ex -> {
            received.add(new Received(ex.getRequestHeaders().getFirst("X-Understudy-Signature"),
                    ex.getRequestHeaders().getFirst("Idempotency-Key"), ex.getRequestBody().readAllBytes()));
            if (hang) {
                try {
                    release.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            boolean fail = failFirst.getAndDecrement() > 0;
            byte[] answer = (fail ? "database locked" : "").getBytes(StandardCharsets.UTF_8);
            ex.sendResponseHeaders(fail ? 503 : 204, fail ? answer.length : -1);
            if (fail) ex.getResponseBody().write(answer);
            ex.close();
        });
        receiver.setExecutor(receiverThreads);
        receiver.start();
    }

    @AfterEach
    void stop() {
        release.countDown();
        receiver.stop(0);
        receiverThreads.shutdownNow();
    }

    HookDispatcher dispatcher(Duration timeout) throws Exception {
        Files.writeString(dir.resolve("secret"), "s3cret\n");
        HookSpec hook = new HookSpec("chat", List.of(HookEvent.ALARM_RAISED),
                null, "http://127.0.0.1:" + receiver.getAddress().getPort() + "/understudy", dir.resolve("secret").toString(),
                timeout, 4, Duration.ofSeconds(5));
        DataCenterConfig demo = DemoDataCenter.build(4);
        DataCenterConfig dc = new DataCenterConfig(demo.name(), demo.enclosures(), demo.servers(), demo.groups(), demo.profiles(), List.of(hook));
        assertThat(store.submit(new ApplyConfig(dc, "test", clock.now())).ok()).isTrue();
        store.submit(new RaiseAlarm(AlarmType.SERVER_FAILED, "dl-1", "dl-1 crashed", clock.now()));
        return new HookDispatcher(store, clock, new HookCalls(new HookRunner(), Runnable::run));
    }

    HookFiring.Delivery delivery() {
        return store.read(s -> s.hookEvents().iterator().next().delivery("chat"));
    }

    void run(HookDispatcher d, Duration limit) {
        clock.advanceUntil(() -> {
            d.tick();
            return !delivery().pending();
        }, Duration.ofMillis(100), limit);
    }

    static String hmac(String secret, byte[] body) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        return "sha256=" + java.util.HexFormat.of().formatHex(mac.doFinal(body));
    }

    @Test
    void webhook_answering503Twice_isRetriedAfterItsBackoff_andDeliveredOnce_signed_withOneIdempotencyKey() throws Exception {
        failFirst.set(2);
        HookDispatcher d = dispatcher(Duration.ofSeconds(5));
        run(d, Duration.ofMinutes(1));

        assertThat(received).hasSize(3);
        HookFiring event = store.read(s -> s.hookEvents().iterator().next());
        for (Received r : received) {
            assertThat(r.signature()).isEqualTo(hmac("s3cret", r.body()));
            assertThat(r.key()).isEqualTo(event.idempotencyKey());
        }
        JsonNode body = Json.MAPPER.readTree(received.get(0).body());
        assertThat(body.get("event").asText()).isEqualTo("alarm-raised");
        assertThat(body.get("alarm").asText()).isEqualTo("server-failed");
        assertThat(body.get("subject").asText()).isEqualTo("dl-1");
        assertThat(body.get("group").asText()).isEqualTo("hot");
        assertThat(delivery().status()).isEqualTo(HookFiring.Status.DELIVERED);
        assertThat(delivery().attempts()).isEqualTo(3);
        assertThat(delivery().result()).isEqualTo("HTTP 204");
        assertThat(delivery().history()).extracting(HookFiring.Attempt::result).containsExactly("HTTP 503: database locked",
                "HTTP 503: database locked", "HTTP 204");

        // Delivered is final: more rounds send nothing.
        clock.advance(Duration.ofMinutes(5));
        d.tick();
        assertThat(received).hasSize(3);
    }

    @Test
    void webhook_thatNeverAnswers_isAbandonedAtItsTimeout_andRecordedAsSuch() throws Exception {
        hang = true;
        HookDispatcher d = dispatcher(Duration.ofMillis(300));
        clock.advance(Duration.ofMillis(100));
        d.tick();
        assertThat(delivery().attempts()).isEqualTo(1);
        assertThat(delivery().status()).isEqualTo(HookFiring.Status.PENDING);
        assertThat(delivery().result()).contains("no answer from http://127.0.0.1:").contains("within 300 ms");
    }

    @Test
    void webhook_whoseSecretFileIsMissing_failsSayingSo_andIsNotSentUnsigned() throws Exception {
        HookDispatcher d = dispatcher(Duration.ofSeconds(5));
        Files.delete(dir.resolve("secret"));
        run(d, Duration.ofMinutes(2));
        assertThat(received).isEmpty();
        assertThat(delivery().status()).isEqualTo(HookFiring.Status.FAILED);
        assertThat(delivery().result()).contains("cannot read secretFile " + dir.resolve("secret"));
        var alarm = store.read(s -> s.openAlarm(AlarmType.HOOK_FAILING, "chat"));
        assertThat(alarm).isPresent();
    }
}
