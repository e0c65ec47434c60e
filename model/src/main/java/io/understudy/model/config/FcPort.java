package io.understudy.model.config;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;

/** A Fibre Channel port of a profile; a boot-from-SAN ("privileged") port is never rewritten on a running server. */
public record FcPort(String name, String wwpn, String wwnn, boolean bootFromSan) {
    /** As read from a configuration: {@code bootFromSan} may be left out (the port is not the boot path). */
    @JsonCreator
    static FcPort read(@JsonProperty("name") String name, @JsonProperty("wwpn") String wwpn, @JsonProperty("wwnn") String wwnn,
                       @JsonProperty("bootFromSan") Boolean bootFromSan) {
        return new FcPort(name, wwpn, wwnn, Boolean.TRUE.equals(bootFromSan));
    }
}
