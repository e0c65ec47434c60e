package io.understudy.agent;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.understudy.drivers.agent.AgentProtocol;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** How heartbeats go out when one of them is stuck on its way. */
class HeartbeatSenderTest {
    final List<Long> heard = new CopyOnWriteArrayList<>();
    final CountDownLatch release = new CountDownLatch(1);
    final ExecutorService pool = Executors.newCachedThreadPool();
    HttpServer node;

    @AfterEach
    void stop() {
        release.countDown();
        if (node != null) node.stop(0);
        pool.shutdownNow();
    }

    /** A node that holds the first heartbeat it gets without answering (as a request sent into a link flap waits) and answers the rest. */
    void startNode() throws Exception {
        node = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 16);
        node.setExecutor(pool);
        node.createContext(AgentProtocol.HEARTBEAT_PATH, ex -> {
            long seq = AgentProtocol.read(ex.getRequestBody().readAllBytes(), AgentProtocol.Heartbeat.class).seq();
            heard.add(seq);
            if (seq == 1) {
                try {
                    release.await(10, TimeUnit.MINUTES);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            byte[] body = AgentProtocol.bytes(new AgentProtocol.HeartbeatReply(null, null));
            ex.sendResponseHeaders(200, body.length);
            ex.getResponseBody().write(body);
            ex.close();
        });
        node.start();
    }

    @Test
    void heartbeatStuckAfterALinkFlap_heldBackEveryLaterOne_failingAHealthyServerOver_nowOneGoesBesideIt() throws Exception {
        startNode();
        // A request timeout far past the test's patience: without a heartbeat beside the stuck one, none arrives in time.
        HeartbeatSender sender = new HeartbeatSender(List.of(URI.create("http://127.0.0.1:" + node.getAddress().getPort())), 1,
                HeartbeatSender.Replies.NONE, Duration.ofMinutes(10));
        AgentProtocol.Inventory inv = new AgentProtocol.Inventory("NS1", 2, 4, "ok");
        sender.heartbeat("a", "secret", inv);                  // 1: stuck at the node
        AgentTest.awaitReal(() -> heard.contains(1L));
        sender.heartbeat("a", "secret", inv);                  // 2: the first has been waiting less than a heartbeat: held
        sender.heartbeat("a", "secret", inv);                  // 3: the first was already in flight at the previous call: goes beside it
        AgentTest.awaitReal(() -> heard.contains(3L));
        assertThat(heard).as("the held heartbeat is replaced by the newer one, not sent late").doesNotContain(2L);
        release.countDown();
    }

    @Test
    void heartbeatsWhileTheNodeAnswers_eachSentOnce_inOrder() throws Exception {
        startNode();
        release.countDown(); // nothing is held
        HeartbeatSender sender = new HeartbeatSender(List.of(URI.create("http://127.0.0.1:" + node.getAddress().getPort())), 1);
        AgentProtocol.Inventory inv = new AgentProtocol.Inventory("NS1", 2, 4, "ok");
        for (long i = 1; i <= 20; i++) {
            sender.heartbeat("a", "secret", inv);
            long seq = i;
            AgentTest.awaitReal(() -> heard.contains(seq));
        }
        assertThat(heard).as("one request per heartbeat, nothing beside it").containsExactlyElementsOf(
                java.util.stream.LongStream.rangeClosed(1, 20).boxed().toList());
    }
}
