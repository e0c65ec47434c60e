package io.understudy.model.config;

import com.fasterxml.jackson.annotation.JsonProperty;

/** What a confirmed failure does in a group: start a failover job, or only raise an alarm. */
public enum EventHandling {
    @JsonProperty("auto-failover") AUTO_FAILOVER,
    @JsonProperty("alert-only") ALERT_ONLY;

    public String wire() {
        return name().toLowerCase().replace('_', '-');
    }
}
