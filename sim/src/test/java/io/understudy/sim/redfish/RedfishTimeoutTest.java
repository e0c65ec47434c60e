package io.understudy.sim.redfish;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import io.understudy.drivers.CallContext;
import io.understudy.drivers.DriverException;
import io.understudy.drivers.redfish.RedfishDriver;
import io.understudy.model.config.Bmc;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A BMC that does not answer in time: silence before TLS is "unreachable", a request left hanging is "timeout". The
 * limit applied shows in the kind and message; the class timeout only guards against a hang.
 */
@org.junit.jupiter.api.Timeout(120)
class RedfishTimeoutTest {
    @TempDir
    Path dir;

    private Bmc bmc(int port, String pin) throws Exception {
        Path pw = dir.resolve("pw");
        Files.writeString(pw, "secret");
        return new Bmc("redfish", "https://127.0.0.1:" + port + "/redfish/v1/Systems/1", "admin", null, pw.toString(),
                pin, null, null, null, null, Duration.ofMillis(800), null);
    }

    @Test
    void read_bmcThatAcceptsConnectionsButNeverSpeaksTls_isUnreachableNamingItsTimeout() throws Exception {
        List<Socket> held = new ArrayList<>();
        try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            Thread acceptor = new Thread(() -> {
                try {
                    while (true) held.add(silent.accept());
                } catch (java.io.IOException closed) {
                    // test over
                }
            });
            acceptor.setDaemon(true);
            acceptor.start();
            DriverException e = catchThrowableOfType(DriverException.class,
                    () -> new RedfishDriver(bmc(silent.getLocalPort(), "00".repeat(32))).read("s", CallContext.probe(1)));
            assertThat(e.kind()).as(e.getMessage()).isEqualTo(DriverException.Kind.UNREACHABLE);
            assertThat(e.getMessage()).contains("no answer", "within 800 ms");
        } finally {
            for (Socket s : held) s.close();
        }
    }

    @Test
    void read_bmcThatLeavesTheRequestHanging_isTimeoutNamingItsTimeout() throws Exception {
        SelfSignedCertificate cert = RedfishPeer.certificate();
        CountDownLatch release = new CountDownLatch(1);
        HttpsServer hanging = HttpsServer.create(new InetSocketAddress("127.0.0.1", 0), 10);
        hanging.setHttpsConfigurator(new HttpsConfigurator(cert.serverContext()));
        hanging.createContext("/", ex -> {
            try {
                release.await();
            } catch (InterruptedException ignored) {
                Thread.currentThread().interrupt();
            }
            ex.close();
        });
        hanging.setExecutor(java.util.concurrent.Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r);
            t.setDaemon(true);
            return t;
        }));
        hanging.start();
        try {
            DriverException e = catchThrowableOfType(DriverException.class,
                    () -> new RedfishDriver(bmc(hanging.getAddress().getPort(), cert.sha256())).read("s", CallContext.probe(1)));
            assertThat(e.kind()).as(e.getMessage()).isEqualTo(DriverException.Kind.TIMEOUT);
            assertThat(e.getMessage()).contains("did not answer GET /redfish/v1/ within 800 ms");
        } finally {
            release.countDown();
            hanging.stop(0);
        }
    }
}
