package io.understudy.drivers.peers;

import io.understudy.drivers.PowerDriverContract;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/** The power-driver contract against a fresh ipmi_sim per test: what every IPMI-speaking driver's suite shares. */
public abstract class IpmiSimContract extends PowerDriverContract {
    @TempDir
    protected Path dir;
    protected IpmiSimPeer peer;

    /** Tools beyond ipmi_sim and ipmitool that the driver under test needs (checked before the peer starts). */
    protected void requireTools() {}

    @BeforeEach
    void startPeer() throws Exception {
        requireTools();
        peer = IpmiSimPeer.start(dir);
    }

    @AfterEach
    void stopPeer() {
        if (peer != null) peer.close();
    }

    /** A password file that differs from the BMC's in its first character. */
    protected Path wrongPasswordFile() throws Exception {
        Path wrong = dir.resolve("wrong-password");
        Files.writeString(wrong, "x" + peer.password().substring(1));
        return wrong;
    }

    @Override
    protected String server() {
        return "srv-1";
    }

    @Override
    protected String password() {
        return peer.password();
    }

    @Override
    protected void makeStuck() throws Exception {
        peer.stuck();
    }

    /** ipmi_sim answers a failing chassis script "Unspecified error", never busy: only slow can be had from it. */
    @Override
    protected void makeSlow(Duration time) throws Exception {
        peer.slow(time.toMillis() / 1000.0);
    }

    @Override
    protected int orders() throws Exception {
        return peer.orders();
    }

    /** Real seconds here: long enough to be slow, short enough for a fence agent's 2 s power_timeout to see it land. */
    @Override
    protected Duration slowAction() {
        return Duration.ofSeconds(1);
    }

    @Override
    protected void letTimePass() throws Exception {
        Thread.sleep(100);
    }

    /**
     * Powers off through an unreachable BMC (the tool keeps running for seconds) and shows every process command
     * line to {@code inspect} every 100 ms, as ps would, for at most {@code rounds} looks; true when {@code inspect}
     * answered true for one of them (it saw the tool it looks for).
     */
    protected boolean whilePoweringOffUnreachable(int rounds, java.util.function.Predicate<String> inspect) throws Exception {
        io.understudy.drivers.PowerDriver slow = unreachable();
        Thread call = new Thread(() -> {
            try {
                slow.powerOff(server(), new io.understudy.drivers.CallContext(1, null, "probe"));
            } catch (io.understudy.drivers.DriverException ignored) {
                // expected: nothing answers
            }
        });
        call.start();
        boolean seen = false;
        for (int i = 0; i < rounds && call.isAlive(); i++) {
            for (String cmdline : CommandLines.all()) seen |= inspect.test(cmdline);
            Thread.sleep(100);
        }
        call.join(15_000);
        return seen;
    }
}
