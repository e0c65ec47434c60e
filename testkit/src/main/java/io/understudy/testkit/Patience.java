package io.understudy.testkit;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * How long a test waits, in real time, for something that takes {@code base} on an idle machine: scaled by how busy
 * the machine is now (1 + its one-minute load per core, at most 10×) and by {@code UNDERSTUDY_TEST_PATIENCE} (a
 * factor, default 1). Waits only bound how long a test looks before it gives up; they are never what it asserts.
 */
public final class Patience {
    private Patience() {}

    public static Duration scaled(Duration base) {
        double factor = 1;
        try {
            String[] load = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
            factor += Double.parseDouble(load[0]) / Runtime.getRuntime().availableProcessors();
        } catch (IOException | RuntimeException unknown) {
            factor = 2; // no load figure: assume a busy machine
        }
        factor = Math.min(factor, 10);
        String extra = System.getenv("UNDERSTUDY_TEST_PATIENCE");
        if (extra != null && !extra.isBlank()) factor *= Double.parseDouble(extra.trim());
        return Duration.ofMillis((long) (base.toMillis() * factor));
    }
}
