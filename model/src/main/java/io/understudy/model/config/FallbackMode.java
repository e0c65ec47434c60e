package io.understudy.model.config;

import com.fasterxml.jackson.annotation.JsonProperty;

/** Whether a profile goes home by an operator's command or by itself once home is healthy. */
public enum FallbackMode {
    @JsonProperty("manual") MANUAL,
    @JsonProperty("automatic") AUTOMATIC;

    public String wire() {
        return name().toLowerCase();
    }
}
