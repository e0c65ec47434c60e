package io.understudy.model.config;

import com.fasterxml.jackson.annotation.JsonProperty;

/** How ready a spare is while it waits; see DESIGN.md "Protection levels". */
public enum ProtectionLevel {
    @JsonProperty("cold") COLD,
    @JsonProperty("hot") HOT,
    @JsonProperty("preloaded") PRELOADED,
    @JsonProperty("lockstep") LOCKSTEP;

    /**
     * Whether the standby runs the workload before a failover: a preloaded standby (without the alias), a lockstep
     * twin (applying every input). Its failover announces the alias; nothing is started or restored there.
     */
    public boolean standbyRuns() {
        return this == PRELOADED || this == LOCKSTEP;
    }

    public String wire() {
        return name().toLowerCase();
    }
}
