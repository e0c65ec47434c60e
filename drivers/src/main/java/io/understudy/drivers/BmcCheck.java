package io.understudy.drivers;

import java.util.List;

/** What {@code understudy bmc check} found: each stage tried in order, the first failure last. */
public record BmcCheck(List<Stage> stages) {
    public BmcCheck {
        stages = List.copyOf(stages);
    }

    /** One stage: its name ("reach", "log in", "read power state"), whether it passed, and what was seen. */
    public record Stage(String name, boolean ok, DriverException.Kind kind, String detail) {
        public static Stage ok(String name, String detail) {
            return new Stage(name, true, null, detail);
        }

        public static Stage failed(String name, DriverException e) {
            return new Stage(name, false, e.kind(), e.getMessage());
        }
    }

    public boolean ok() {
        return !stages.isEmpty() && stages.stream().allMatch(Stage::ok);
    }

    public static String describe(PowerReading r) {
        return "power " + r.power().name().toLowerCase() + ", health " + r.health().name().toLowerCase()
                + (r.detail() == null || r.detail().isBlank() ? "" : " (" + r.detail() + ")");
    }
}
