package io.understudy.model.config;

/** A chassis with numbered bays {@code bay1..bayN}. */
public record Enclosure(String id, int bays) {}
