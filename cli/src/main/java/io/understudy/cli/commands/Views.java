package io.understudy.cli.commands;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Turns fields of the API's JSON into table cells, forgiving about missing or null fields. */
final class Views {
    private Views() {}

    private static final DateTimeFormatter LOCAL = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(ZoneId.systemDefault());

    /** The field as text; "-" when absent or null; arrays joined with commas. */
    static String str(JsonNode node, String field) {
        return cell(node == null ? null : node.get(field));
    }

    static String cell(JsonNode v) {
        if (v == null || v.isNull() || v.isMissingNode()) return "-";
        if (v.isArray()) {
            List<String> parts = new ArrayList<>();
            v.forEach(e -> parts.add(cell(e)));
            return parts.isEmpty() ? "-" : String.join(",", parts);
        }
        if (v.isObject()) return v.toString();
        String s = v.asText();
        return s.isEmpty() ? "-" : s;
    }

    static String yesNo(JsonNode node, String field) {
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) return "-";
        return v.asBoolean() ? "yes" : "no";
    }

    static int size(JsonNode node, String field) {
        JsonNode v = node.get(field);
        return v != null && v.isArray() ? v.size() : 0;
    }

    static Instant instant(JsonNode node, String field) {
        JsonNode v = node.get(field);
        if (v == null || !v.isTextual()) return null;
        try {
            return Instant.parse(v.asText());
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    /** An ISO instant shown in the operator's time zone; the raw text when it does not parse. */
    static String time(JsonNode node, String field) {
        Instant t = instant(node, field);
        return t == null ? str(node, field) : LOCAL.format(t);
    }

    /** How long from {@code started} to {@code ended}; blank while either is unknown. */
    static String elapsed(JsonNode node, String from, String to) {
        Instant a = instant(node, from);
        Instant b = instant(node, to);
        return a == null || b == null ? "" : duration(Duration.between(a, b));
    }

    static String duration(Duration d) {
        long ms = Math.max(0, d.toMillis());
        if (ms < 60_000) return String.format(Locale.ROOT, "%.1fs", ms / 1000.0);
        long s = ms / 1000;
        if (s < 3600) return String.format("%dm%02ds", s / 60, s % 60);
        return String.format("%dh%02dm", s / 3600, (s % 3600) / 60);
    }
}
