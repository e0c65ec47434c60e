package io.understudy.model.config;

import java.util.List;

/** The portable part of a server: what moves with a profile from one server to another. */
public record Identity(String hostname, List<String> addresses, List<String> macs, List<FcPort> fcPorts) {
    public Identity {
        addresses = addresses == null ? List.of() : List.copyOf(addresses);
        macs = macs == null ? List.of() : List.copyOf(macs);
        fcPorts = fcPorts == null ? List.of() : List.copyOf(fcPorts);
    }
}
