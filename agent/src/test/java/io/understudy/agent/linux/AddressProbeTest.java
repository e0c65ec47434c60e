package io.understudy.agent.linux;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.understudy.agent.linux.DadRound.End;
import io.understudy.agent.linux.DadRound.Outcome;
import io.understudy.agent.linux.DadRound.Verdict;
import io.understudy.drivers.DriverException;
import io.understudy.drivers.process.ProcessRunner;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** How arping -D's exit codes, output and process state are read, and when a probe is refused; no network needed. */
class AddressProbeTest {
    private static final String ADDRESS = "198.18.0.100";
    private static final String HEARD_NOTHING = "ARPING 198.18.0.100 from 0.0.0.0 eth0\nSent 1 probes (1 broadcast(s))\nReceived 0 response(s)\n";

    @Test
    void judge_exitZeroAfterItsWindow_silent() {
        assertThat(judge(0, HEARD_NOTHING, End.WINDOW_OVER, false).verdict()).isEqualTo(Verdict.SILENT);
        assertThat(judge(0, HEARD_NOTHING, End.EXITED, false).verdict()).isEqualTo(Verdict.SILENT);
    }

    @Test
    void judge_probeWentOutLate_silentLate() {
        assertThat(judge(0, HEARD_NOTHING, End.WINDOW_OVER, true).verdict()).isEqualTo(Verdict.SILENT_LATE);
    }

    @Test
    void judge_unicastReply_givesTheMacInLowerCase() {
        assertThat(judge(1, "ARPING 198.18.0.100 from 0.0.0.0 eth0\n"
                + "Unicast reply from 198.18.0.100 [6A:8F:34:8C:6B:F5]  0.544ms\n"
                + "Sent 1 probes (1 broadcast(s))\nReceived 1 response(s)\n", End.EXITED, false))
                .isEqualTo(new Outcome(Verdict.ANSWERED, "6a:8f:34:8c:6b:f5"));
    }

    @Test
    void judge_answerReadAfterTheStop_stillAnswered() {
        // Stopped when the window was over, arping reads what is queued: a late answer still counts.
        assertThat(judge(1, "Unicast reply from 198.18.0.100 [02:00:5E:10:00:01]  250.1ms\nSent 1 probes (1 broadcast(s))\n",
                End.DEADLINE, true)).isEqualTo(new Outcome(Verdict.ANSWERED, "02:00:5e:10:00:01"));
    }

    @Test
    void judge_anotherHostsProbeForTheAddress_countsAsAnswer() {
        assertThat(judge(1, "Broadcast request from 198.18.0.100 [02:00:5E:10:00:01]  0.2ms\n", End.EXITED, false))
                .isEqualTo(new Outcome(Verdict.ANSWERED, "02:00:5e:10:00:01"));
    }

    @Test
    void judge_diedOfTheStopBeforeItsEventLoop_notProbed() {
        // Issue 10: the window closed before a loaded scheduler had run arping; killed, it said nothing — not "free".
        assertThat(judge(143, "", End.WINDOW_OVER, false).verdict()).isEqualTo(Verdict.NOT_PROBED);
    }

    @Test
    void judge_stoppedAtTheDeadline_notProbedEvenWhenItHadSentOne() {
        // Its probe went out just before the stop: the answer had no time to come.
        assertThat(judge(0, HEARD_NOTHING, End.DEADLINE, false).verdict()).isEqualTo(Verdict.NOT_PROBED);
    }

    @Test
    void judge_sentNoProbe_notProbed() {
        assertThat(judge(0, "Sent 0 probes (0 broadcast(s))\nReceived 0 response(s)\n", End.WINDOW_OVER, false).verdict())
                .isEqualTo(Verdict.NOT_PROBED);
    }

    @Test
    void judge_notArpable_exitZeroWithoutProbing_failed() {
        Outcome o = judge(0, "Interface \"eth0\" is not ARPable\n", End.EXITED, false);
        assertThat(o.verdict()).isEqualTo(Verdict.FAILED);
        assertThat(o.detail()).isEqualTo("arping -D exited 0: Interface \"eth0\" is not ARPable");
    }

    @Test
    void judge_exitOneWithoutAnswer_failedWithArpingsComplaint() {
        // iputils 20221126 refuses fractions of a second with exit 1, the same code as "someone answered".
        Outcome o = judge(1, "arping: invalid argument: '0.3'\n", End.EXITED, false);
        assertThat(o.verdict()).isEqualTo(Verdict.FAILED);
        assertThat(o.detail()).contains("invalid argument: '0.3'");
    }

    @Test
    void judge_exitTwo_failedNamingTheDevice() {
        assertThat(judge(2, "arping: Device eth9 not available.\n", End.EXITED, false))
                .isEqualTo(new Outcome(Verdict.FAILED, "arping -D exited 2: arping: Device eth9 not available."));
    }

    @Test
    void waitingForAnswers_sleepingArpingWithItsSignalsBlocked_hasProbed() {
        assertThat(DadRound.waitingForAnswers(status("arping", "S (sleeping)", "0000000000004006"))).isTrue();
    }

    @Test
    void waitingForAnswers_beforeItsEventLoopOrRunningOrNotArping_notYet() {
        // What the JVM's children inherit: SIGQUIT blocked, nothing else.
        assertThat(DadRound.waitingForAnswers(status("arping", "S (sleeping)", "0000000000000004"))).isFalse();
        assertThat(DadRound.waitingForAnswers(status("arping", "R (running)", "0000000000004006"))).isFalse();
        assertThat(DadRound.waitingForAnswers(status("ip", "S (sleeping)", "0000000000004006"))).isFalse();
        assertThat(DadRound.waitingForAnswers("")).isFalse();
    }

    @Test
    void answering_arpingNeverGetsToProbe_refusesNamingTheAddress() {
        // A stand-in for an arping the scheduler never runs: something else sleeps where it should be.
        AddressProbe stuck = new AddressProbe(new CommandRunner(List.of("sh", "-c", "exec sleep 30", "sh")), "eth0",
                Duration.ofMillis(100), Duration.ofMillis(600));

        assertThatThrownBy(() -> stuck.answering(List.of(ADDRESS))).isInstanceOfSatisfying(DriverException.class, e -> {
            assertThat(e.kind()).isEqualTo(DriverException.Kind.FAILED);
            assertThat(e.getMessage()).startsWith("failed: duplicate address detection could not probe " + ADDRESS + " (")
                    .contains("on eth0").endsWith("not taking it without knowing whether another host holds it");
        });
    }

    @Test
    void answering_arpingNotFound_refusesNamingTheAddress() {
        AddressProbe missing = new AddressProbe(new CommandRunner(List.of("env", "PATH=/nonexistent")), "eth0",
                Duration.ofMillis(100), Duration.ofSeconds(5));

        assertThatThrownBy(() -> missing.answering(List.of(ADDRESS))).isInstanceOfSatisfying(DriverException.class, e -> {
            assertThat(e.kind()).isEqualTo(DriverException.Kind.FAILED);
            assertThat(e.getMessage()).contains("duplicate address detection for " + ADDRESS + " failed")
                    .contains("exited 127").contains("not taking it");
        });
    }

    @Test
    void answering_runnerCannotStart_refuses() {
        AddressProbe broken = new AddressProbe(new CommandRunner(List.of("/nonexistent/runner")), "eth0",
                Duration.ofMillis(100), Duration.ofSeconds(5));

        assertThatThrownBy(() -> broken.answering(List.of(ADDRESS))).isInstanceOfSatisfying(DriverException.class,
                e -> assertThat(e.kind()).isEqualTo(DriverException.Kind.FAILED));
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
        AddressProbe off = new AddressProbe(new CommandRunner(List.of("/nonexistent/runner")), "eth0", Duration.ZERO,
                Duration.ofSeconds(1));

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
        return new AddressProbe(CommandRunner.local(), "eth0", wait, Duration.ofSeconds(10));
    }

    private static Outcome judge(int exit, String out, End end, boolean late) {
        return DadRound.judge(ADDRESS, List.of("arping", "-D"), exit, out, end, late);
    }

    private static String status(String name, String state, String sigBlk) {
        return "Name:\t" + name + "\nUmask:\t0022\nState:\t" + state + "\nPid:\t42\nSigPnd:\t0000000000000000\nSigBlk:\t"
                + sigBlk + "\nSigIgn:\t0000000000000000\n";
    }
}
