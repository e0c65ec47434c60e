package io.understudy.server;

import com.fasterxml.jackson.databind.JsonNode;
import io.understudy.engine.detect.Witnesses;
import io.understudy.state.Json;
import io.understudy.state.ratis.RatisSettings;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * The other members of this node's group, asked what they hear from agents ({@code GET /api/v1/agents}, with the
 * group's shared viewer token). A member's API is found at its Raft host on the Raft port - 1, the default layout
 * ({@code --raft-port} defaults to the HTTP port + 1). A member that does not answer within 300 ms is left out: the
 * leader then judges by what it heard itself. Asked without blocking: the detector reads the answer in a later round.
 */
final class PeerWitnesses implements Witnesses {
    private static final Duration TIMEOUT = Duration.ofMillis(300);

    private final List<URI> peers;
    private final String token;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();

    PeerWitnesses(String self, List<RatisSettings.Peer> group, String token) {
        this.peers = group.stream().filter(p -> !p.id().equals(self))
                .map(p -> URI.create("http://" + p.host() + ":" + (p.port() - 1) + "/api/v1/agents")).toList();
        this.token = token;
    }

    @Override
    public CompletableFuture<Map<String, Duration>> ask(Collection<String> servers) {
        List<CompletableFuture<JsonNode>> asked = peers.stream().map(u -> http.sendAsync(
                        HttpRequest.newBuilder(u).timeout(TIMEOUT).header("Authorization", "Bearer " + token).GET().build(),
                        HttpResponse.BodyHandlers.ofByteArray())
                .thenApply(r -> r.statusCode() == 200 ? Json.read(r.body(), JsonNode.class) : null)
                .exceptionally(e -> null)).toList();
        return CompletableFuture.allOf(asked.toArray(CompletableFuture[]::new)).thenApply(all -> {
            Map<String, Duration> shortest = new HashMap<>();
            for (CompletableFuture<JsonNode> f : asked) {
                JsonNode answer = f.join();
                if (answer == null) continue;
                for (JsonNode a : answer) {
                    String id = a.path("server").asText();
                    if (!servers.contains(id) || !a.path("silentMs").isNumber()) continue;
                    shortest.merge(id, Duration.ofMillis(a.get("silentMs").asLong()), (x, y) -> x.compareTo(y) <= 0 ? x : y);
                }
            }
            return shortest;
        });
    }
}
