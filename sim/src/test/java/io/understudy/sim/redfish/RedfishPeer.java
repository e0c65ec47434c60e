package io.understudy.sim.redfish;

import io.understudy.model.config.Bmc;
import io.understudy.sim.SimDataCenter;
import io.understudy.sim.SimTimings;
import io.understudy.sim.TinyDataCenter;
import io.understudy.testkit.DrivenScheduler;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Map;

/** A simulated data center on a driven clock behind its Redfish service (HTTPS, self-signed), for one test. */
final class RedfishPeer implements AutoCloseable {
    static final String USER = "admin";
    final DrivenScheduler clock = new DrivenScheduler();
    final SimDataCenter sim = new SimDataCenter(TinyDataCenter.build(), clock, SimTimings.FAST);
    final RedfishService service;
    final SelfSignedCertificate cert;
    final String password;
    final Path passwordFile;

    private static SelfSignedCertificate shared;

    /** One certificate for every test in this JVM: keytool is a JVM start of its own, seconds on a busy machine. */
    static synchronized SelfSignedCertificate certificate() throws IOException {
        if (shared == null) {
            Path dir = Files.createTempDirectory("sim-bmc-cert");
            shared = SelfSignedCertificate.create(dir, "srv-bmc");
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try (var files = Files.walk(dir)) {
                    files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
                } catch (IOException ignored) {
                    // a temp dir left behind
                }
            }));
        }
        return shared;
    }

    RedfishPeer(Path dir) throws IOException {
        this(dir, certificate());
    }

    RedfishPeer(Path dir, SelfSignedCertificate cert) throws IOException {
        this.cert = cert;
        byte[] raw = new byte[12];
        new SecureRandom().nextBytes(raw);
        password = "pw-" + HexFormat.of().formatHex(raw);
        passwordFile = dir.resolve("redfish-password");
        Files.writeString(passwordFile, password + "\n");
        service = new RedfishService(TinyDataCenter.build(), sim, clock, Map.of(USER, password)).start(0, cert);
    }

    /** Driver settings for {@code server}'s BMC, pinning the service's certificate. */
    Bmc bmc(String server) {
        return bmc(service.endpoint(server), passwordFile, cert.sha256(), null);
    }

    static Bmc bmc(String endpoint, Path passwordFile, String pin, String trustStore) {
        return new Bmc("redfish", endpoint, USER, null, passwordFile.toString(), pin, trustStore, null, null, null,
                Duration.ofSeconds(5), null);
    }

    void advance(Duration d) {
        clock.advance(d);
    }

    static int closedTcpPort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    @Override
    public void close() {
        service.close();
    }
}
