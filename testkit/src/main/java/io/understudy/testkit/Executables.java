package io.understudy.testkit;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Writes a script a test then runs. A file this JVM opened for writing can be run only once no process holds it open
 * for writing, and a child another test thread starts at that moment inherits the open descriptor until it execs: the
 * script then fails with "Text file busy" (ETXTBSY). So this JVM writes only a sibling draft, and {@code install}, a
 * short-lived process of its own, writes the script.
 */
public final class Executables {
    private Executables() {}

    /** Writes {@code text} to {@code path}, executable with the octal {@code mode} (e.g. "755", "700"). */
    public static Path write(Path path, String text, String mode) throws IOException {
        Path draft = path.resolveSibling(path.getFileName() + ".draft");
        Files.writeString(draft, text);
        Process p = new ProcessBuilder("install", "-m", mode, draft.toString(), path.toString())
                .redirectErrorStream(true).start();
        try {
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IOException("install of " + path + " did not end within 60 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            p.destroyForcibly();
            throw new IOException("interrupted writing " + path, e);
        }
        String out = new String(p.getInputStream().readAllBytes());
        if (p.exitValue() != 0) throw new IOException("install " + List.of(draft, path) + " exited " + p.exitValue() + ": " + out);
        Files.deleteIfExists(draft);
        return path;
    }
}
