package io.understudy.system.chaos;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;

/**
 * HTTP to the nodes and to sim-dc that writes every answer, and every failure to get one, into the trial's history.
 */
final class ApiClient {
    static final String SIM_DC = "sim-dc";
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private final ControlPlane plane;
    private final History.Recorder history;

    ApiClient(ControlPlane plane, History.Recorder history) {
        this.plane = plane;
        this.history = history;
    }

    /** An answer; {@code json} is null when there was none or it was not JSON. */
    record Answer(int status, String body, JsonNode json) {
        boolean ok() {
            return status >= 200 && status < 300;
        }
    }

    Answer get(String node, String path) {
        return send(node, "GET " + path, HttpRequest.newBuilder(URI.create(base(node) + path)).GET());
    }

    Answer post(String node, String path, String jsonBody) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base(node) + path))
                .POST(jsonBody == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(jsonBody))
                .header("Content-Type", "application/json");
        return send(node, "POST " + path + (jsonBody == null ? "" : " " + jsonBody), b);
    }

    private String base(String node) {
        return node.equals(SIM_DC) ? plane.agentUrl() : plane.url(node);
    }

    private Answer send(String node, String request, HttpRequest.Builder b) {
        int life = node.equals(SIM_DC) ? 0 : plane.incarnation(node);
        if (!node.equals(SIM_DC) && plane.token() != null) b.header("Authorization", "Bearer " + plane.token());
        Answer a;
        try {
            HttpResponse<String> r = HTTP.send(b.timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
            a = new Answer(r.statusCode(), r.body(), Trial.json(r.body()));
        } catch (IOException e) {
            a = new Answer(0, "no answer: " + e, null);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            a = new Answer(0, "interrupted", null);
        }
        history.add(new Exchange(Instant.now(), node, life, request, a.status(), a.body()));
        return a;
    }
}
