package io.understudy.model.config;

/** One problem in a data-center description: the field path (e.g. {@code profiles[2].home}) and what was expected. */
public record ConfigError(String path, String message) {
    @Override
    public String toString() {
        return path + ": " + message;
    }
}
