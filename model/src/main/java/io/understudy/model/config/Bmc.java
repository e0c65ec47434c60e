package io.understudy.model.config;

/** How understudy reaches a server's baseboard management controller: a driver name and its endpoint. */
public record Bmc(String driver, String endpoint) {
    public Bmc {
        if (driver == null) driver = "sim";
    }
}
