package io.understudy.sim.redfish;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.understudy.drivers.BmcCheck;
import io.understudy.drivers.CallContext;
import io.understudy.drivers.DriverException;
import io.understudy.drivers.PowerReading;
import io.understudy.drivers.redfish.RedfishDriver;
import io.understudy.sim.Fault;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The Redfish driver against the simulator's Redfish service: TLS trust, authentication, resets, inventory, health. */
class RedfishDriverTest {
    @TempDir
    static Path certDir;
    static SelfSignedCertificate cert;
    static SelfSignedCertificate other;

    @TempDir
    Path dir;
    RedfishPeer peer;
    final CallContext ctx = new CallContext(3, 7L, "fence");

    @BeforeAll
    static void certificates() throws Exception {
        cert = RedfishPeer.certificate();
        other = SelfSignedCertificate.create(certDir, "impostor");
    }

    @BeforeEach
    void start() throws Exception {
        peer = new RedfishPeer(dir, cert);
    }

    @AfterEach
    void stop() {
        peer.close();
    }

    @Test
    void read_wrongPin_failsWithTlsErrorNamingBothFingerprints() throws Exception {
        RedfishDriver d = new RedfishDriver(RedfishPeer.bmc(peer.service.endpoint("srv-1"), peer.passwordFile, other.sha256(), null));
        DriverException e = catchThrowableOfType(DriverException.class, () -> d.read("srv-1", ctx));
        assertThat(e.kind()).isEqualTo(DriverException.Kind.AUTH);
        assertThat(e.getMessage()).startsWith("auth: TLS: BMC certificate SHA-256 " + cert.sha256())
                .contains("does not match the pinned " + other.sha256());
        BmcCheck check = d.check("srv-1", ctx);
        assertThat(check.stages()).hasSize(1);
        assertThat(check.stages().get(0).name()).isEqualTo("reach");
        assertThat(check.stages().get(0).detail()).contains("TLS");
    }

    @Test
    void read_trustStoreHoldingTheCertificate_verifiesAndReads() throws Exception {
        RedfishDriver d = new RedfishDriver(RedfishPeer.bmc(peer.service.endpoint("srv-1"), peer.passwordFile, null, cert.pem().toString()));
        assertThat(d.read("srv-1", ctx).power()).isEqualTo(PowerReading.Power.ON);
    }

    @Test
    void read_trustStoreOfAnotherCertificateOrNone_isRefused() throws Exception {
        RedfishDriver wrongStore = new RedfishDriver(RedfishPeer.bmc(peer.service.endpoint("srv-1"), peer.passwordFile, null, other.pem().toString()));
        DriverException e = catchThrowableOfType(DriverException.class, () -> wrongStore.read("srv-1", ctx));
        assertThat(e.kind()).isEqualTo(DriverException.Kind.AUTH);
        assertThat(e.getMessage()).contains("TLS");
        RedfishDriver jdkCas = new RedfishDriver(RedfishPeer.bmc(peer.service.endpoint("srv-1"), peer.passwordFile, null, null));
        assertThat(catchThrowableOfType(DriverException.class, () -> jdkCas.read("srv-1", ctx)).getMessage()).contains("TLS");
    }

    @Test
    void powerOff_bmcWithoutSessionService_fallsBackToBasicAuth() throws Exception {
        peer.service.withoutSessions();
        RedfishDriver d = new RedfishDriver(peer.bmc("srv-1"));
        BmcCheck check = d.check("srv-1", ctx);
        assertThat(check.stages().get(1).detail()).startsWith("basic authentication as user 'admin'");
        d.powerOff("srv-1", ctx);
        peer.advance(Duration.ofMillis(200));
        assertThat(d.read("srv-1", ctx).power()).isEqualTo(PowerReading.Power.OFF);
    }

    @Test
    void check_everyStage_namesSessionSystemAndInventory() throws Exception {
        BmcCheck check = new RedfishDriver(peer.bmc("srv-1")).check("srv-1", ctx);
        assertThat(check.ok()).isTrue();
        assertThat(check.stages()).extracting(BmcCheck.Stage::name).containsExactly("reach", "log in", "read power state");
        assertThat(check.stages().get(1).detail()).isEqualTo("session opened as user 'admin'");
        assertThat(check.stages().get(2).detail()).contains("power on", "/redfish/v1/Systems/srv-1", "model BL460c", "serial SIM-ENC1-BAY1");
    }

    @Test
    void check_wrongPassword_failsAtLogIn() throws Exception {
        Path wrong = dir.resolve("wrong");
        Files.writeString(wrong, "nope");
        BmcCheck check = new RedfishDriver(RedfishPeer.bmc(peer.service.endpoint("srv-1"), wrong, cert.sha256(), null)).check("srv-1", ctx);
        assertThat(check.stages()).extracting(BmcCheck.Stage::ok).containsExactly(true, false);
        assertThat(check.stages().get(1).kind()).isEqualTo(DriverException.Kind.AUTH);
        assertThat(check.stages().get(1).detail()).contains("refused the credentials of user 'admin' (HTTP 401)");
    }

    /** Issue 11: on a BMC without sessions, "log in" passed untried and "read power state" then failed with a 401. */
    @Test
    void checkSaidLogInOkBeforeTryingCredentials_basicAuthBmcWithWrongPassword_failsAtLogIn() throws Exception {
        peer.service.withoutSessions();
        Path wrong = dir.resolve("wrong");
        Files.writeString(wrong, "nope");
        BmcCheck check = new RedfishDriver(RedfishPeer.bmc(peer.service.endpoint("srv-1"), wrong, cert.sha256(), null)).check("srv-1", ctx);
        assertThat(check.stages()).extracting(BmcCheck.Stage::name).containsExactly("reach", "log in");
        assertThat(check.stages()).extracting(BmcCheck.Stage::ok).containsExactly(true, false);
        assertThat(check.stages().get(1).kind()).isEqualTo(DriverException.Kind.AUTH);
        assertThat(check.stages().get(1).detail()).contains("refused the credentials of user 'admin' (HTTP 401)").doesNotContain("nope");
    }

    @Test
    void check_basicAuthBmcWithRightPassword_logsInOnTheSystemsCollection() throws Exception {
        peer.service.withoutSessions();
        BmcCheck check = new RedfishDriver(peer.bmc("srv-1")).check("srv-1", ctx);
        assertThat(check.ok()).isTrue();
        assertThat(check.stages().get(1).detail()).isEqualTo("basic authentication as user 'admin' (the BMC offers no session service)"
                + ", accepted on /redfish/v1/Systems");
    }

    @Test
    void reset_forceRestartAndGracefulShutdown_changePowerOnTheSimulator() throws Exception {
        RedfishDriver d = new RedfishDriver(peer.bmc("srv-1"));
        d.reset("srv-1", RedfishDriver.ResetType.ForceRestart, ctx);
        peer.advance(Duration.ofMillis(150));
        assertThat(peer.sim.view("srv-1").state()).isEqualTo("off");
        peer.advance(Duration.ofMillis(500));
        assertThat(d.read("srv-1", ctx).power()).isEqualTo(PowerReading.Power.ON);
        d.reset("srv-1", RedfishDriver.ResetType.GracefulShutdown, ctx);
        peer.advance(Duration.ofMillis(200));
        assertThat(d.read("srv-1", ctx).power()).isEqualTo(PowerReading.Power.OFF);
    }

    @Test
    void read_serverWithHardwareEvent_readsCriticalWithTheCondition() throws Exception {
        peer.sim.inject("srv-1", Fault.HW_EVENT);
        PowerReading r = new RedfishDriver(peer.bmc("srv-1")).read("srv-1", ctx);
        assertThat(r.health()).isEqualTo(PowerReading.Health.CRITICAL);
        assertThat(r.detail()).contains("uncorrectable memory error");
    }

    @Test
    void powerOff_bmcDown_isUnreachable() throws Exception {
        peer.sim.inject("srv-1", Fault.BMC_DOWN);
        DriverException e = catchThrowableOfType(DriverException.class, () -> new RedfishDriver(peer.bmc("srv-1")).powerOff("srv-1", ctx));
        assertThat(e.kind()).isEqualTo(DriverException.Kind.UNREACHABLE);
        assertThat(e.getMessage()).contains("HTTP 503");
    }

    @Test
    void powerOff_fromAnOlderTerm_isRefused() throws Exception {
        RedfishDriver d = new RedfishDriver(peer.bmc("srv-1"));
        d.read("srv-1", new CallContext(5, null, "probe"));
        DriverException e = catchThrowableOfType(DriverException.class, () -> d.powerOff("srv-1", new CallContext(4, 1L, "fence")));
        assertThat(e.kind()).isEqualTo(DriverException.Kind.REFUSED);
        assertThat(e.getMessage()).contains("term 4 refused");
    }

    @Test
    void busyBmcIsRetriedNotHopeless_resetWhileAnActionRuns_isBusyWithRetryAfter() throws Exception {
        // A 409 "operation in progress" was read as a refusal, which fails a fence at once.
        peer.service.bmcs().mode(io.understudy.sim.AwkwardBmc.Mode.BUSY, Duration.ofSeconds(3));
        RedfishDriver d = new RedfishDriver(peer.bmc("srv-1"));
        d.powerOff("srv-1", ctx);
        DriverException e = catchThrowableOfType(DriverException.class, () -> d.powerOff("srv-1", ctx));
        assertThat(e.kind()).as(e.getMessage()).isEqualTo(DriverException.Kind.BUSY);
        assertThat(e.getMessage()).contains("HTTP 409").contains("operation in progress");
        assertThat(e.retryAfter()).contains(Duration.ofSeconds(3));
    }

    @Test
    void read_endpointWithoutSystem_discoversTheOnlySystemOrAsksForOne() throws Exception {
        RedfishDriver d = new RedfishDriver(RedfishPeer.bmc("https://127.0.0.1:" + peer.service.port(), peer.passwordFile, cert.sha256(), null));
        DriverException e = catchThrowableOfType(DriverException.class, () -> d.read("srv-1", ctx));
        assertThat(e.getMessage()).contains("has 2 systems: name one in the endpoint");
    }

    @Test
    void read_afterTheBmcDroppedOurSession_logsInAgain() throws Exception {
        RedfishDriver d = new RedfishDriver(peer.bmc("srv-1"));
        d.read("srv-1", ctx);
        // The BMC forgets every session (a BMC reboot, an idle timeout): the next call meets 401 and logs in again.
        java.net.http.HttpClient admin = java.net.http.HttpClient.newBuilder()
                .sslContext(io.understudy.drivers.redfish.RedfishTls.context(peer.bmc("srv-1"))).build();
        String basic = "Basic " + java.util.Base64.getEncoder().encodeToString((RedfishPeer.USER + ":" + peer.password).getBytes());
        String base = "https://127.0.0.1:" + peer.service.port();
        var list = admin.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(base + "/redfish/v1/SessionService/Sessions"))
                .header("Authorization", basic).build(), java.net.http.HttpResponse.BodyHandlers.ofString());
        int dropped = 0;
        for (var m : com.fasterxml.jackson.databind.json.JsonMapper.builder().build().readTree(list.body()).path("Members")) {
            dropped++;
            admin.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(base + m.path("@odata.id").asText())).DELETE()
                    .header("Authorization", basic).build(), java.net.http.HttpResponse.BodyHandlers.discarding());
        }
        assertThat(dropped).isEqualTo(1);
        assertThat(d.read("srv-1", ctx).power()).isEqualTo(PowerReading.Power.ON);
    }
}
