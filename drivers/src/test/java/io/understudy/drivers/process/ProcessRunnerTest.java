package io.understudy.drivers.process;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProcessRunnerTest {
    @TempDir
    Path dir;

    @Test
    void run_toolPassesSecretThroughEnvAndStdin_notArguments() throws Exception {
        ProcessRunner.Result r = ProcessRunner.run(List.of("/bin/sh", "-c", "read line; echo \"$line/$SECRET\""), Map.of("SECRET", "e"), "s\n", Duration.ofSeconds(5));
        assertThat(r.exit()).isZero();
        assertThat(r.stdout().trim()).isEqualTo("s/e");
    }

    @Test
    void run_toolOverrunningItsTime_isKilledWithItsChildren() throws Exception {
        Path pid = dir.resolve("child.pid");
        // The kind and message show the 500 ms limit was applied (sleep 30 would otherwise have finished normally).
        assertThatThrownBy(() -> ProcessRunner.run(List.of("/bin/sh", "-c", "sleep 30 & echo $! > " + pid + "; wait"), Map.of(), null, Duration.ofMillis(500)))
                .isInstanceOf(ProcessRunner.TimedOut.class).hasMessageContaining("did not finish within 500 ms");
        long child = Long.parseLong(Files.readString(pid).trim());
        boolean gone = false;
        for (int i = 0; i < 40 && !gone; i++) {
            // Read /proc state rather than isAlive(): a killed child can linger as a zombie until it is reaped.
            Path stat = Path.of("/proc/" + child + "/stat");
            try {
                gone = Files.readString(stat).matches(".*\\) [ZX] .*");
            } catch (java.io.IOException vanished) {
                gone = true;   // reaped between two looks: /proc answers "no such file" or "no such process"
            }
            if (!gone) Thread.sleep(50);
        }
        assertThat(gone).as("the tool's child was killed too").isTrue();
    }
}
