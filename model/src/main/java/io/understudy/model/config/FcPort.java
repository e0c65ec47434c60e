package io.understudy.model.config;

/** A Fibre Channel port of a profile; a boot-from-SAN ("privileged") port is never rewritten on a running server. */
public record FcPort(String name, String wwpn, String wwnn, boolean bootFromSan) {}
