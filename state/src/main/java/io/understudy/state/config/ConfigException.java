package io.understudy.state.config;

import io.understudy.model.config.ConfigError;
import java.util.List;

/** A data-center file that cannot be used: every error found, each with the file and field path. */
public final class ConfigException extends IllegalArgumentException {
    private final String source;
    private final List<ConfigError> errors;

    public ConfigException(String source, List<ConfigError> errors) {
        super(source + ": " + errors.size() + " error(s): " + String.join("; ", errors.stream().map(ConfigError::toString).toList()));
        this.source = source;
        this.errors = List.copyOf(errors);
    }

    public String source() {
        return source;
    }

    public List<ConfigError> errors() {
        return errors;
    }
}
