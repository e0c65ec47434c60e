package io.understudy.agent.data;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finds the sparse files of a directory: those that take fewer blocks on disk than their length. Java cannot read a
 * file's block count, so {@code find(1)} is asked, once per backup. Only files found sparse are restored with holes:
 * a file its workload filled with zeros on purpose (a database preallocating its log) stays allocated.
 */
final class SparseFiles {
    private static final Logger log = LoggerFactory.getLogger(SparseFiles.class);

    private SparseFiles() {}

    /**
     * The relative names ('/'-separated) of the sparse regular files under {@code dir}. When {@code find} is missing
     * or fails, none: every file is then restored whole, which is correct and only takes more room.
     */
    static Set<String> under(Path dir) {
        Set<String> sparse = new HashSet<>();
        Process p;
        try {
            // %b: blocks of 512 bytes allocated, %s: length, %P: the name below dir; each line ends with a NUL.
            p = new ProcessBuilder("find", dir.toString(), "-type", "f", "-printf", "%b %s %P\\0")
                    .redirectError(ProcessBuilder.Redirect.DISCARD)
                    .start();
        } catch (IOException e) {
            log.warn("cannot run find to look for sparse files in {}: they will be restored whole: {}", dir, e.toString());
            return sparse;
        }
        try (var out = p.getInputStream()) {
            String all = new String(out.readAllBytes(), StandardCharsets.UTF_8);
            for (String line : all.split("\0")) {
                String[] f = line.split(" ", 3);
                if (f.length == 3 && !f[2].isEmpty() && Long.parseLong(f[0]) * 512 < Long.parseLong(f[1])) sparse.add(f[2]);
            }
            if (!p.waitFor(10, TimeUnit.SECONDS) || p.exitValue() != 0) {
                log.warn("find did not finish cleanly looking for sparse files in {}: the ones it missed are restored whole", dir);
            }
        } catch (IOException | NumberFormatException e) {
            log.warn("cannot read find's answer about sparse files in {}: they will be restored whole: {}", dir, e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            p.destroy();
        }
        return sparse;
    }
}
