package io.understudy.state.config;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import io.understudy.model.config.ConfigError;
import io.understudy.model.config.ConfigValidator;
import io.understudy.model.config.DataCenterConfig;
import io.understudy.state.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Reads a data-center description (YAML, or JSON which is YAML too) and validates it, naming file and field on error. */
public final class ConfigLoader {
    private ConfigLoader() {}

    public static DataCenterConfig load(Path file) {
        String text;
        try {
            text = Files.readString(file);
        } catch (IOException e) {
            throw new ConfigException(file.toString(), List.of(new ConfigError("(file)", "cannot read: " + e.getMessage())));
        }
        return parse(text, file.toString());
    }

    public static DataCenterConfig parse(String text, String source) {
        DataCenterConfig config;
        if (text == null || text.isBlank()) {
            throw new ConfigException(source, List.of(new ConfigError("(root)", "empty file: expected a data center with enclosures, servers, groups and profiles")));
        }
        // First pass, lenient, only to find misspelt keys: Jackson reports an unknown key of a record only after the
        // record was built, and a key misspelt (memoryGiB) leaves a required one unset, which fails the build first.
        UnknownKeys unknown = new UnknownKeys();
        try {
            Json.YAML.readerFor(DataCenterConfig.class).without(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
                    .withHandler(unknown).readValue(text);
        } catch (JsonProcessingException | RuntimeException later) {
            // the strict pass below reports it, unless a misspelt key explains it
        }
        if (unknown.any()) throw new ConfigException(source, unknown.errors(text));
        try {
            config = Json.YAML.readValue(text, DataCenterConfig.class);
        } catch (JsonMappingException e) {
            throw new ConfigException(source, List.of(new ConfigError(path(e), message(e))));
        } catch (JsonProcessingException e) {
            throw new ConfigException(source, List.of(new ConfigError("(syntax)", e.getOriginalMessage()
                    + (e.getLocation() == null ? "" : " at line " + e.getLocation().getLineNr()))));
        }
        List<ConfigError> errors = ConfigValidator.validate(config);
        if (!errors.isEmpty()) throw new ConfigException(source, errors);
        return config;
    }

    private static String message(JsonMappingException e) {
        if (e instanceof UnrecognizedPropertyException u) {
            return "unknown field '" + u.getPropertyName() + "' (expected one of " + u.getKnownPropertyIds() + ")";
        }
        String m = e.getOriginalMessage();
        // A required number or switch left out: say so, not Jackson's "Cannot map `null` into type `int` (set …)".
        java.util.regex.Matcher missing = java.util.regex.Pattern.compile("Cannot map `null` into type `(\\w+)`").matcher(m);
        if (missing.find()) {
            String type = missing.group(1);
            return "missing: expected " + switch (type) {
                case "int", "long", "short", "byte" -> "a whole number";
                case "double", "float" -> "a number";
                case "boolean" -> "true or false";
                default -> "a " + type;
            };
        }
        int cut = m.indexOf(" at [Source");
        return cut > 0 ? m.substring(0, cut) : m;
    }

    /** Jackson's reference chain as a field path: {@code servers[2].cores}. */
    private static String path(JsonMappingException e) {
        StringBuilder b = new StringBuilder();
        for (JsonMappingException.Reference r : e.getPath()) {
            if (r.getIndex() >= 0) b.append('[').append(r.getIndex()).append(']');
            else if (r.getFieldName() != null) b.append(b.length() == 0 ? "" : ".").append(r.getFieldName());
        }
        return b.length() == 0 ? "(root)" : b.toString();
    }
}
