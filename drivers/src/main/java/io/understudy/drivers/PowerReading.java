package io.understudy.drivers;

/** What a BMC says of its server: power state and hardware health. */
public record PowerReading(Power power, Health health, String detail) {
    public enum Power { ON, OFF }

    /**
     * Hardware health as measured by the BMC. {@code UNKNOWN} where nothing was measured (a fence agent only knows
     * power, a BMC that reports no status): never read as healthy or as failed, and never convicts a server; only
     * {@code CRITICAL} does. Declared from least to most telling, so the worse of two readings is the greater.
     */
    public enum Health { UNKNOWN, OK, WARNING, CRITICAL }
}
