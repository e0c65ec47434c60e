package io.understudy.system;

import com.fasterxml.jackson.databind.JsonNode;
import io.understudy.state.Json;
import java.io.IOException;
import java.nio.file.Path;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

/** Small things every system test needs: the admin token a server wrote, JSON arrays as streams. */
public final class SystemTests {
    private SystemTests() {}

    /** The admin token in a {@code tokens.json} that a server (or the first node of a group) wrote. */
    public static String adminToken(Path tokens) throws IOException {
        for (JsonNode t : Json.MAPPER.readTree(tokens.toFile())) {
            if (t.get("role").asText().equalsIgnoreCase("admin")) return t.get("token").asText();
        }
        throw new IllegalStateException("no admin token in " + tokens);
    }

    public static Stream<JsonNode> stream(JsonNode array) {
        return StreamSupport.stream(array.spliterator(), false);
    }
}
