package io.understudy.model.config;

/** What runs under a profile; the commands follow OCF exit codes (0 running, 7 not running). */
public record Workload(String name, String start, String stop, String monitor) {}
