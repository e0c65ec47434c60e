package io.understudy.server;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The newest time this node's clock has shown, kept in {@code clock} in the data directory, so that a restarted
 * node — a sped-up demo in particular, whose clock runs ahead of the wall — resumes at or after it and time never
 * runs backwards, also for what the state does not record (the simulated hardware, decisions).
 */
final class ClockMark {
    private static final Logger LOG = LoggerFactory.getLogger(ClockMark.class);
    /** Written once a wall second: a kill -9 loses at most that much of the mark, never time already in the state. */
    private static final Duration EVERY_WALL = Duration.ofSeconds(1);

    private final Path file;

    ClockMark(Path dataDir) {
        this.file = dataDir.resolve("clock");
    }

    /** The last mark written, or null when there is none or it cannot be read (then the state and wall decide). */
    Instant read() {
        if (!Files.exists(file)) return null;
        try {
            return Instant.parse(Files.readString(file, StandardCharsets.UTF_8).trim());
        } catch (IOException | DateTimeParseException e) {
            LOG.warn("clock mark {} unreadable ({}); the clock resumes from the state and the wall clock", file, e.toString());
            return null;
        }
    }

    /** Writes the scheduler's time now and then once a wall second, on the scheduler's own thread. */
    void keep(ScaledScheduler scheduler, double speed) {
        write(scheduler.now());
        Duration every = Duration.ofNanos(Math.max(1, (long) (EVERY_WALL.toNanos() * speed)));
        scheduler.every(every, () -> write(scheduler.now()));
    }

    /** Atomic: a reader sees the old mark or the new one, never half of one. */
    void write(Instant at) {
        Path tmp = file.resolveSibling("clock.tmp");
        try {
            Files.writeString(tmp, at.toString() + "\n", StandardCharsets.UTF_8);
            try {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            LOG.warn("cannot write the clock mark {}: {}", file, e.toString());
        }
    }
}
