package io.understudy.sim.redfish;

import io.understudy.drivers.PowerDriver;
import io.understudy.drivers.PowerDriverContract;
import io.understudy.drivers.redfish.RedfishDriver;
import io.understudy.sim.AwkwardBmc;
import io.understudy.sim.Fault;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/** The power-driver contract for Redfish: the driver against the simulator's Redfish service, over HTTPS with a pinned self-signed certificate. */
class RedfishPowerDriverContractTest extends PowerDriverContract {
    static SelfSignedCertificate cert;

    @TempDir
    Path dir;
    RedfishPeer peer;

    @BeforeAll
    static void certificate() throws Exception {
        cert = RedfishPeer.certificate();
    }

    @BeforeEach
    void start() throws Exception {
        peer = new RedfishPeer(dir, cert);
    }

    @AfterEach
    void stop() {
        if (peer != null) peer.close();
    }

    @Override
    protected PowerDriver driver() throws Exception {
        return new RedfishDriver(peer.bmc(server()));
    }

    @Override
    protected String server() {
        return "srv-1";
    }

    @Override
    protected PowerDriver unreachable() throws Exception {
        return new RedfishDriver(RedfishPeer.bmc("https://127.0.0.1:" + RedfishPeer.closedTcpPort() + "/redfish/v1/Systems/srv-1",
                peer.passwordFile, cert.sha256(), null));
    }

    @Override
    protected PowerDriver wrongPassword() throws Exception {
        Path wrong = dir.resolve("wrong");
        Files.writeString(wrong, peer.password + "x");
        return new RedfishDriver(RedfishPeer.bmc(peer.service.endpoint(server()), wrong, cert.sha256(), null));
    }

    @Override
    protected String password() {
        return peer.password;
    }

    @Override
    protected void makeStuck() {
        peer.sim.inject(server(), Fault.STUCK_POWER);
    }

    @Override
    protected void makeSlow(Duration time) {
        peer.service.bmcs().mode(AwkwardBmc.Mode.RESTARTS, time);
    }

    @Override
    protected void makeBusy(Duration time) {
        peer.service.bmcs().mode(AwkwardBmc.Mode.BUSY, time);
    }

    @Override
    protected int orders() {
        return peer.service.bmcs().orders(server());
    }

    @Override
    protected void letTimePass() {
        peer.advance(Duration.ofMillis(100));
    }
}
