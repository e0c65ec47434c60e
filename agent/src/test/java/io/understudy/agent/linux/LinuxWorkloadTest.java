package io.understudy.agent.linux;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.understudy.drivers.DriverException;
import io.understudy.drivers.WorkloadDriver.Status;
import io.understudy.model.config.Identity;
import io.understudy.model.config.ProfileSpec;
import io.understudy.model.config.Workload;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Workload commands through {@code sh -c} on this machine: a {@code sleep} with a pid file stands in for a daemon. */
class LinuxWorkloadTest {
    @TempDir
    Path dir;

    private final LinuxWorkload workload = new LinuxWorkload(CommandRunner.local(), Duration.ofSeconds(10));

    @AfterEach
    void killLeftOver() throws Exception {
        Path pid = dir.resolve("pid");
        if (Files.exists(pid)) ProcessHandle.of(Long.parseLong(Files.readString(pid).strip())).ifPresent(ProcessHandle::destroyForcibly);
    }

    @Test
    void startMonitorStop_sleepWithPidFile_followsOcfCodes() throws Exception {
        ProfileSpec p = profile(daemon());
        assertThat(workload.monitor(p)).isEqualTo(Status.NOT_RUNNING);

        workload.start(p);
        assertThat(workload.monitor(p)).isEqualTo(Status.RUNNING);

        workload.stop(p);
        assertThat(workload.monitor(p)).isEqualTo(Status.NOT_RUNNING);
    }

    @Test
    void start_seesProfileAndAddressesInItsEnvironment() throws Exception {
        workload.start(profile(daemon()));

        assertThat(Files.readString(dir.resolve("env"))).isEqualTo("web|198.18.0.100 198.18.0.101");
    }

    @Test
    void start_whenRunning_doesNotStartAgain() throws Exception {
        ProfileSpec p = profile(daemon());
        workload.start(p);
        workload.start(p);

        assertThat(Files.readAllLines(dir.resolve("starts"))).hasSize(1);
    }

    @Test
    void stop_whenNotRunning_doesNotRunStop() throws Exception {
        ProfileSpec p = profile(daemon());
        workload.stop(p);

        assertThat(dir.resolve("stops")).doesNotExist();
    }

    @Test
    void monitor_deadDaemonWithPidFile_isFailed() throws Exception {
        ProfileSpec p = profile(daemon());
        workload.start(p);
        ProcessHandle daemon = ProcessHandle.of(Long.parseLong(Files.readString(dir.resolve("pid")).strip())).orElseThrow();
        daemon.destroyForcibly();
        daemon.onExit().get(60, TimeUnit.SECONDS); // a bound for a busy machine, not a figure

        assertThat(workload.monitor(p)).isEqualTo(Status.FAILED);
        assertThatThrownBy(() -> workload.start(p)).isInstanceOf(DriverException.class).hasMessageContaining("stop it before starting");

        workload.stop(p);
        assertThat(workload.monitor(p)).isEqualTo(Status.NOT_RUNNING);
    }

    @Test
    void start_commandFails_failedWithExitCodeAndOutput() {
        ProfileSpec p = profile(new Workload("broken", "echo no license >&2; exit 3", "true", "exit 7"));

        assertThatThrownBy(() -> workload.start(p)).isInstanceOfSatisfying(DriverException.class, e -> {
            assertThat(e.kind()).isEqualTo(DriverException.Kind.FAILED);
            assertThat(e.getMessage()).contains("start exited 3").contains("no license");
        });
    }

    @Test
    void start_commandHangs_timeoutAndKilled() {
        LinuxWorkload quick = new LinuxWorkload(CommandRunner.local(), Duration.ofMillis(300));
        ProfileSpec p = profile(new Workload("slow", "sleep 30", "true", "exit 7"));

        assertThatThrownBy(() -> quick.start(p)).isInstanceOfSatisfying(DriverException.class,
                e -> assertThat(e.kind()).isEqualTo(DriverException.Kind.TIMEOUT));
    }

    @Test
    void noWorkload_startStopDoNothingAndMonitorSaysNotRunning() throws Exception {
        ProfileSpec p = new ProfileSpec("web", "g1", "srv1", null, null, null, null, null, null);
        workload.start(p);
        workload.stop(p);

        assertThat(workload.monitor(p)).isEqualTo(Status.NOT_RUNNING);
    }

    @Test
    void monitor_missingCommand_failsNamingIt() {
        ProfileSpec p = profile(new Workload("half", "true", "true", null));

        assertThatThrownBy(() -> workload.monitor(p)).isInstanceOf(DriverException.class).hasMessageContaining("no monitor command");
    }

    /** A daemon that detaches its output (as an init script would) and records each start and stop. */
    private Workload daemon() {
        String d = "'" + dir + "'";
        return new Workload("sleeper",
                "echo start >> " + d + "/starts; printf '%s|%s' \"$UNDERSTUDY_PROFILE\" \"$UNDERSTUDY_ADDRESSES\" > " + d + "/env;"
                        + " sleep 300 </dev/null >/dev/null 2>&1 & echo $! > " + d + "/pid",
                "echo stop >> " + d + "/stops; [ -f " + d + "/pid ] && kill \"$(cat " + d + "/pid)\" 2>/dev/null; rm -f " + d + "/pid",
                "[ -f " + d + "/pid ] || exit 7; kill -0 \"$(cat " + d + "/pid)\" 2>/dev/null && exit 0; exit 1");
    }

    private static ProfileSpec profile(Workload w) {
        return new ProfileSpec("web", "g1", "srv1", new Identity("web1", List.of("198.18.0.100", "198.18.0.101"), null, null),
                w, null, null, null, null);
    }
}
