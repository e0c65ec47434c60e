package io.understudy.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ExecutablesTest {
    @TempDir
    Path dir;

    @Test
    void write_makesARunnableScriptWithTheMode_andLeavesNoDraft() throws Exception {
        Path script = Executables.write(dir.resolve("hello"), "#!/bin/sh\necho hi \"$1\"\n", "750");

        Process p = new ProcessBuilder(script.toString(), "there").start();
        assertThat(p.waitFor()).isZero();
        assertThat(new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("hi there\n");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(script))).isEqualTo("rwxr-x---");
        assertThat(dir.resolve("hello.draft")).doesNotExist();
    }

    /**
     * CI, LinuxHostStartTest: a stand-in arping written by this JVM failed with "Text file busy" while another test
     * class started processes. Here a thread starts processes all along while scripts are written and run.
     */
    @Test
    void scriptWrittenWhileAnotherThreadStartsProcesses_runsWithoutTextFileBusy() throws Exception {
        AtomicBoolean stop = new AtomicBoolean();
        // Two spawners: with files this JVM wrote itself, about 1 run in 100 failed so on this machine.
        List<Thread> spawners = List.of(new Thread(() -> spawnUntil(stop)), new Thread(() -> spawnUntil(stop)));
        spawners.forEach(Thread::start);
        try {
            for (int i = 0; i < 300; i++) {
                Path script = Executables.write(dir.resolve("tool" + i), "#!/bin/sh\nexit 0\n", "755");
                Process p = new ProcessBuilder(script.toString()).redirectErrorStream(true).start();
                String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                assertThat(p.waitFor()).as("tool%d: %s", i, out).isZero();
            }
        } finally {
            stop.set(true);
            for (Thread t : spawners) t.join();
        }
    }

    private static void spawnUntil(AtomicBoolean stop) {
        while (!stop.get()) {
            try {
                new ProcessBuilder("true").start().waitFor();
            } catch (Exception e) {
                return;
            }
        }
    }
}
