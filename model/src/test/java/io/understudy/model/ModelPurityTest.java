package io.understudy.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The model module stays pure: no I/O, no threads, no clock reads (STYLE.md habit 1). */
class ModelPurityTest {
    private static final List<String> FORBIDDEN = List.of("import java.io", "import java.net", "import java.nio",
            "import java.util.concurrent", "new Thread", "Instant.now(", "System.currentTimeMillis", "System.nanoTime",
            "Clock.system", "LocalDateTime.now(");

    @Test
    void mainSources_useNoIoThreadsOrClock() throws IOException {
        try (Stream<Path> files = Files.walk(Path.of("src/main/java"))) {
            for (Path f : files.filter(p -> p.toString().endsWith(".java")).toList()) {
                String text = Files.readString(f);
                for (String bad : FORBIDDEN) assertThat(text).as("%s uses %s", f, bad).doesNotContain(bad);
            }
        }
    }
}
