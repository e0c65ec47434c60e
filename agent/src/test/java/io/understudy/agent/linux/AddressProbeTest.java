package io.understudy.agent.linux;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.understudy.drivers.DriverException;
import io.understudy.drivers.process.ProcessRunner;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** How arping -D's exit codes and output are read, and how long a probe is given; no network needed. */
class AddressProbeTest {
    private static final String ADDRESS = "198.18.0.100";

    @Test
    void judge_exitZero_nobodyAnswered() throws Exception {
        assertThat(judge(0, "ARPING 198.18.0.100 from 0.0.0.0 eth0\nSent 1 probes (1 broadcast(s))\nReceived 0 response(s)\n"))
                .isEmpty();
    }

    @Test
    void judge_unicastReply_givesTheMacInLowerCase() throws Exception {
        assertThat(judge(1, "ARPING 198.18.0.100 from 0.0.0.0 eth0\n"
                + "Unicast reply from 198.18.0.100 [6A:8F:34:8C:6B:F5]  0.544ms\n"
                + "Sent 1 probes (1 broadcast(s))\nReceived 1 response(s)\n")).contains("6a:8f:34:8c:6b:f5");
    }

    @Test
    void judge_anotherHostsProbeForTheAddress_countsAsAnswer() throws Exception {
        assertThat(judge(1, "Broadcast request from 198.18.0.100 [02:00:5E:10:00:01]  0.2ms\n")).contains("02:00:5e:10:00:01");
    }

    @Test
    void judge_exitOneWithoutAnswer_failsWithArpingsComplaint() {
        // iputils 20221126 refuses fractions of a second with exit 1, the same code as "someone answered".
        assertThatThrownBy(() -> judge(1, "arping: invalid argument: '0.3'\n")).isInstanceOfSatisfying(DriverException.class, e -> {
            assertThat(e.kind()).isEqualTo(DriverException.Kind.FAILED);
            assertThat(e.getMessage()).contains("duplicate address detection for " + ADDRESS).contains("invalid argument: '0.3'");
        });
    }

    @Test
    void judge_exitTwo_failsNamingTheDevice() {
        assertThatThrownBy(() -> judge(2, "arping: Device eth9 not available.\n"))
                .isInstanceOf(DriverException.class).hasMessageContaining("exited 2: arping: Device eth9 not available.");
    }

    @Test
    void command_wholeSecondsAtLeastTheWait() {
        assertThat(probe(Duration.ofMillis(200)).command(ADDRESS))
                .containsExactly("arping", "-D", "-c", "1", "-w", "1", "-I", "eth0", ADDRESS);
        assertThat(probe(Duration.ofMillis(2500)).command(ADDRESS))
                .containsExactly("arping", "-D", "-c", "3", "-w", "3", "-I", "eth0", ADDRESS);
    }

    @Test
    void answering_zeroWait_probesNothing() throws Exception {
        // A runner that cannot run anything: probing off must not call it.
        AddressProbe off = new AddressProbe(new CommandRunner(List.of("/nonexistent/runner")), "eth0", Duration.ZERO);

        assertThat(off.enabled()).isFalse();
        assertThat(off.answering(List.of(ADDRESS))).isEmpty();
    }

    @Test
    void runTogetherFor_stillRunningAtTheEndOfTheWindow_isKilledAndEmpty() throws Exception {
        List<Optional<ProcessRunner.Result>> r = CommandRunner.local().runTogetherFor(
                List.of(List.of("sleep", "30"), List.of("sh", "-c", "echo hi; exit 1")), Duration.ofMillis(200));

        assertThat(r.get(0)).isEmpty();
        assertThat(r.get(1)).hasValueSatisfying(x -> {
            assertThat(x.exit()).isEqualTo(1);
            assertThat(x.stdout()).isEqualTo("hi\n");
        });
    }

    private static AddressProbe probe(Duration wait) {
        return new AddressProbe(CommandRunner.local(), "eth0", wait);
    }

    private static Optional<String> judge(int exit, String stdout) throws DriverException {
        return AddressProbe.judge(ADDRESS, List.of("arping", "-D"), new ProcessRunner.Result(exit, stdout, "", Duration.ZERO));
    }
}
