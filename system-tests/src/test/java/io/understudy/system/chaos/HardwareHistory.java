package io.understudy.system.chaos;

import com.fasterxml.jackson.databind.JsonNode;
import io.understudy.sim.HardwareEvent;
import io.understudy.state.Json;
import java.util.ArrayList;
import java.util.List;

/**
 * sim-dc's hardware log ({@code GET /v1/sim/history?after=SEQ}), read on from where the last read stopped and kept
 * whole since sim-dc started (the hardware checker needs it from the start). A sim-dc without that endpoint answers
 * 404: the log then stays empty and the hardware is judged from sim-dc's polled views alone.
 */
final class HardwareHistory {
    private final List<HardwareEvent> all = new ArrayList<>();
    private long after;
    private long dropped;

    /** Every event since the last call (bounded pages), asked through the trial's client, as served. */
    List<JsonNode> readNew(ApiClient api) {
        List<JsonNode> out = new ArrayList<>();
        for (int page = 0; page < 1000; page++) {
            ApiClient.Answer a = api.get(ApiClient.SIM_DC, "/v1/sim/history?after=" + after);
            if (!a.ok() || a.json() == null) break;
            JsonNode events = a.json().path("events");
            dropped = a.json().path("dropped").asLong(dropped);
            long next = a.json().path("next").asLong(after);
            for (JsonNode e : events) {
                out.add(e);
                try {
                    all.add(Json.MAPPER.treeToValue(e, HardwareEvent.class));
                } catch (java.io.IOException bad) {
                    throw new IllegalStateException("sim-dc served a hardware event this build cannot read: " + e, bad);
                }
            }
            if (events.isEmpty() || next <= after) break;
            after = next;
        }
        return out;
    }

    /** Every event since sim-dc started, oldest first. */
    List<HardwareEvent> all() {
        return List.copyOf(all);
    }

    /** Events sim-dc dropped (its log is bounded): the checker then saw only part of the truth. */
    long dropped() {
        return dropped;
    }
}
