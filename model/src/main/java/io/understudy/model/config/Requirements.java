package io.understudy.model.config;

/** What a server must offer to run a profile: the same model (generation ignored) and at least these resources. */
public record Requirements(String model, int minCores, int minMemoryGib) {}
