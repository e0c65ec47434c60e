package io.understudy.state;

import java.time.Instant;

/** A raised alarm; {@code cleared} is null while it is open. */
public record Alarm(long id, AlarmType type, String subject, String text, Instant raised, Instant cleared) {
    public boolean open() {
        return cleared == null;
    }
}
