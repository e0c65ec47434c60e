package io.understudy.state;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.understudy.model.config.HookEvent;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * One hook event as the state machine queued it (a job ended, an alarm was raised or cleared): what happened, in
 * {@code variables}, and its delivery to each hook configured for it then. A delivery recorded as delivered is never
 * made again, whichever node leads.
 *
 * @param variables lower-case names ({@code event}, {@code job}, {@code profile}…) to values; a command gets each as
 *                  {@code UNDERSTUDY_<NAME>} and all of them as JSON on its standard input, a webhook as its body
 */
public record HookFiring(long id, HookEvent event, String group, SortedMap<String, String> variables, Instant at,
                         List<Delivery> deliveries) {

    public HookFiring {
        variables = Collections.unmodifiableSortedMap(new TreeMap<>(variables == null ? Map.of() : variables));
        deliveries = List.copyOf(deliveries);
    }

    /**
     * The delivery of one event to one hook: whether it is settled, and every attempt (bounded by the hook's
     * {@code attempts}), the last one's time and result also on their own.
     */
    public record Delivery(String hook, Status status, int attempts, Instant lastAttempt, String result, List<Attempt> history) {
        public Delivery {
            history = history == null ? List.of() : List.copyOf(history);
        }

        public boolean pending() {
            return status == Status.PENDING;
        }
    }

    /** One attempt to deliver: when it was recorded, whether it delivered, and what the hook returned. */
    public record Attempt(Instant at, boolean delivered, String result) {}

    public enum Status {
        @JsonProperty("pending") PENDING,
        @JsonProperty("delivered") DELIVERED,
        /** Every attempt the hook allows failed: no more are made, and a {@code hook-failing} alarm says so. */
        @JsonProperty("failed") FAILED;

        public String wire() {
            return name().toLowerCase();
        }
    }

    public boolean pending() {
        return deliveries.stream().anyMatch(Delivery::pending);
    }

    public Delivery delivery(String hook) {
        return deliveries.stream().filter(d -> d.hook().equals(hook)).findFirst().orElse(null);
    }

    /**
     * The key a receiver dedupes by: the same for every attempt of this event, on any leader, and different for an
     * event of another cluster that happens to share the number (its time differs).
     */
    public String idempotencyKey() {
        return id + "-" + at.toEpochMilli();
    }

    HookFiring with(Delivery d) {
        List<Delivery> all = new ArrayList<>(deliveries);
        all.replaceAll(x -> x.hook().equals(d.hook()) ? d : x);
        return new HookFiring(id, event, group, variables, at, all);
    }
}
