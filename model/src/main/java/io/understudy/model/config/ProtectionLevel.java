package io.understudy.model.config;

import com.fasterxml.jackson.annotation.JsonProperty;

/** How ready a spare is while it waits; see DESIGN.md "Protection levels". */
public enum ProtectionLevel {
    @JsonProperty("cold") COLD,
    @JsonProperty("hot") HOT,
    @JsonProperty("preloaded") PRELOADED,
    @JsonProperty("lockstep") LOCKSTEP;

    public String wire() {
        return name().toLowerCase();
    }
}
