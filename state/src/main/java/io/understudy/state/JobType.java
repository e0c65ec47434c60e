package io.understudy.state;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/** The kinds of job and the steps each runs, in order. */
public enum JobType {
    @JsonProperty("failover") FAILOVER(List.of("check-group", "identify-source", "fence", "select-spare",
            "move-profile", "activate", "verify", "release")),
    @JsonProperty("fallback") FALLBACK(List.of("check-group", "release-spare", "sync-data", "move-profile", "activate",
            "verify", "release"));

    private final List<String> steps;

    JobType(List<String> steps) {
        this.steps = steps;
    }

    public List<String> steps() {
        return steps;
    }

    public String wire() {
        return name().toLowerCase();
    }
}
