package io.understudy.engine;

import java.time.Duration;

/** What the engine reports for metrics; the server binds it to Micrometer. */
public interface EngineListener {
    EngineListener NONE = new EngineListener() {};

    /** A failure was confirmed {@code latency} after the server's last heartbeat (or at once for a hardware event). */
    default void detected(String server, String verdict, Duration latency) {}

    default void jobEnded(String type, String status, Duration took) {}

    /** Something the engine decided, with its reason — shown to operators, asserted in tests. */
    default void decided(String subject, String decision) {}
}
