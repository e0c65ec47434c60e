package io.understudy.drivers;

import java.time.Instant;

/** Where agents report: heartbeats, hardware events, held addresses and inventory. Implemented by the detector on every control-plane node. */
public interface AgentListener {
    void heartbeat(String server, Instant at);

    /** A hardware event (e.g. "uncorrectable memory error") from the server or its BMC: the server has failed. */
    void hardwareEvent(String server, String text, Instant at);

    /** The addresses a server's agent says its identity interface holds (reported with its heartbeats). */
    default void addresses(String server, java.util.List<String> held, Instant at) {}

    /** The resources a server's agent says the server has (reported with its heartbeats). */
    default void inventory(String server, io.understudy.model.Resources reported, Instant at) {}
}
