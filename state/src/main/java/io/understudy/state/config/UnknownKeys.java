package io.understudy.state.config;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonStreamContext;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.deser.DeserializationProblemHandler;
import io.understudy.model.config.ConfigError;
import io.understudy.state.Json;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;

/**
 * Collects every unknown key of a data-center file instead of stopping at the first (or, worse, at the error a
 * misspelt key causes later: {@code memoryGiB} leaves {@code memoryGib} unset): its path, its line, the nearest
 * valid key and the valid keys sorted.
 */
final class UnknownKeys extends DeserializationProblemHandler {
    private record Unknown(String path, String name, String nearest, TreeSet<String> valid) {}

    private final List<Unknown> found = new ArrayList<>();

    boolean any() {
        return !found.isEmpty();
    }

    /**
     * One error per unknown key, with its line in {@code text}: Jackson hands a record's unknown keys over from a
     * buffer that has no position, so the lines come from a second look at the text itself.
     */
    List<ConfigError> errors(String text) {
        Map<String, Integer> lines = lines(text);
        List<ConfigError> out = new ArrayList<>();
        for (Unknown u : found) {
            Integer line = lines.get(u.path());
            out.add(new ConfigError(u.path(), "unknown key '" + u.name() + "'" + (line == null ? "" : " at line " + line)
                    + (u.nearest() == null ? "" : " (did you mean " + u.nearest() + "?)") + "; valid keys: " + String.join(", ", u.valid())));
        }
        return out;
    }

    /** The line of every key in the YAML text, by its path. */
    private static Map<String, Integer> lines(String text) {
        Map<String, Integer> lines = new HashMap<>();
        try (JsonParser p = Json.YAML.getFactory().createParser(text)) {
            for (JsonToken t = p.nextToken(); t != null; t = p.nextToken()) {
                if (t == JsonToken.FIELD_NAME) lines.putIfAbsent(path(p.getParsingContext()), p.currentLocation().getLineNr());
            }
        } catch (IOException unreadable) {
            // the strict pass reports it
        }
        return lines;
    }

    @Override
    public boolean handleUnknownProperty(DeserializationContext ctxt, JsonParser p, JsonDeserializer<?> deserializer,
                                         Object beanOrClass, String name) throws IOException {
        TreeSet<String> valid = new TreeSet<>();
        Collection<Object> known = deserializer == null ? null : deserializer.getKnownPropertyNames();
        if (known != null) known.forEach(k -> valid.add(String.valueOf(k)));
        found.add(new Unknown(path(p.getParsingContext()), name, nearest(name, valid), valid));
        p.skipChildren();
        return true;
    }

    /** {@code servers[0].memoryGiB}: the keys and indexes from the root to where the parser stands. */
    static String path(JsonStreamContext ctx) {
        StringBuilder b = new StringBuilder();
        for (JsonStreamContext c = ctx; c != null && !c.inRoot(); c = c.getParent()) {
            if (c.inArray()) b.insert(0, "[" + c.getCurrentIndex() + "]");
            else if (c.getCurrentName() != null) b.insert(0, (c.getParent() != null && !c.getParent().inRoot() ? "." : "") + c.getCurrentName());
        }
        return b.length() == 0 ? "(root)" : b.toString();
    }

    /** The valid key closest to the typo: same letters in another case, else at most two edits away. */
    static String nearest(String name, Collection<String> valid) {
        String best = null;
        int bestDistance = 3;
        for (String v : valid) {
            if (v.equalsIgnoreCase(name)) return v;
            int d = distance(name.toLowerCase(Locale.ROOT), v.toLowerCase(Locale.ROOT));
            if (d < bestDistance) {
                bestDistance = d;
                best = v;
            }
        }
        return best;
    }

    private static int distance(String a, String b) {
        int[] prev = new int[b.length() + 1];
        int[] cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) prev[j] = j;
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
            }
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        return prev[b.length()];
    }
}
