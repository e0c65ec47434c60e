package io.understudy.drivers;

/** What a BMC says of its server: power state and hardware health. */
public record PowerReading(Power power, Health health, String detail) {
    public enum Power { ON, OFF }

    public enum Health { OK, WARNING, CRITICAL }
}
