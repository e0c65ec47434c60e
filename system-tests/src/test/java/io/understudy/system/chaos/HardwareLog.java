package io.understudy.system.chaos;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads sim-dc's hardware log ({@code GET /v1/sim/history?after=SEQ}) from where the last read stopped, so that each
 * trial gets the hardware's changes during it. A sim-dc without that endpoint answers 404: the log is then empty and
 * the hardware is checked from sim-dc's polled views alone.
 */
final class HardwareLog {
    private long after;
    private long dropped;

    /** Every event since the last call (bounded pages), asked through the trial's client. */
    List<JsonNode> readNew(ApiClient api) {
        List<JsonNode> out = new ArrayList<>();
        for (int page = 0; page < 1000; page++) {
            ApiClient.Answer a = api.get(ApiClient.SIM_DC, "/v1/sim/history?after=" + after);
            if (!a.ok() || a.json() == null) break;
            JsonNode events = a.json().path("events");
            dropped = a.json().path("dropped").asLong(dropped);
            long next = a.json().path("next").asLong(after);
            events.forEach(out::add);
            if (events.isEmpty() || next <= after) break;
            after = next;
        }
        return out;
    }

    /** Events sim-dc dropped (its log is bounded): a non-zero count means the check saw only part of the truth. */
    long dropped() {
        return dropped;
    }
}
