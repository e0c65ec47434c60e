package io.understudy.cli.client;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.understudy.state.Json;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URLEncoder;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** A small JSON client for the understudy REST API that tries each configured node in turn. */
public final class ApiClient {
    public static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(2);
    public static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(10);

    private final List<String> urls;
    private final String token;
    private final Duration requestTimeout;
    private final HttpCall http;
    // The node that answered last; asked first next time so a poll loop does not wait on a dead node every round.
    private volatile int preferred;

    public ApiClient(List<String> urls, String token) {
        this(urls, token, CONNECT_TIMEOUT, REQUEST_TIMEOUT);
    }

    public ApiClient(List<String> urls, String token, Duration connectTimeout, Duration requestTimeout) {
        if (urls == null || urls.isEmpty()) throw new IllegalArgumentException("at least one server URL is needed");
        this.urls = urls.stream().map(ApiClient::trimSlash).toList();
        this.token = token;
        this.requestTimeout = requestTimeout;
        this.http = new HttpCall(connectTimeout, requestTimeout);
    }

    public List<String> urls() {
        return urls;
    }

    public JsonNode get(String path) {
        return send("GET", path, null, null);
    }

    /** POSTs {@code body} (a JsonNode, a Map, a record; null for no body) as JSON. */
    public JsonNode post(String path, Object body) {
        if (body == null) return send("POST", path, null, null);
        try {
            return send("POST", path, Json.MAPPER.writeValueAsString(body), "application/json");
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("cannot encode request body: " + e.getOriginalMessage(), e);
        }
    }

    /** POSTs text as is, e.g. a YAML data-center file. */
    public JsonNode post(String path, String body, String contentType) {
        return send("POST", path, body, contentType);
    }

    /** Encodes one path segment (a profile or server id) so odd characters cannot change the path. */
    public static String segment(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private JsonNode send(String method, String path, String body, String contentType) {
        List<String> failures = new ArrayList<>();
        ApiException lastUnavailable = null;
        int start = preferred;
        for (int i = 0; i < urls.size(); i++) {
            int n = (start + i) % urls.size();
            String base = urls.get(n);
            HttpCall.Response response;
            try {
                response = http.send(method, base + path, body, headers(contentType));
            } catch (HttpCall.ConnectTimeout e) {
                failures.add(base + ": connect timed out");
                continue;
            } catch (HttpCall.AnswerTimeout e) {
                // The request reached a node that did not answer in time: a POST may have been applied,
                // so only reads move on to the next node.
                String why = base + ": no answer within " + requestTimeout.toSeconds() + "s";
                if (!method.equals("GET")) throw new UnreachableException("understudy at " + why + " (the request may still be applied)");
                failures.add(why);
                continue;
            } catch (IOException e) {
                failures.add(base + ": " + reason(e));
                continue;
            }
            int status = response.status();
            if (status == 503 && urls.size() > 1) {
                // No leader on this node (or it is shutting down): another node may serve the request.
                lastUnavailable = error(status, response.body());
                failures.add(base + ": " + lastUnavailable.getMessage());
                continue;
            }
            preferred = n;
            if (status / 100 != 2) throw error(status, response.body());
            return parse(status, base + path, response.body());
        }
        if (lastUnavailable != null) throw lastUnavailable;
        throw new UnreachableException(unreachableMessage(failures));
    }

    private String[] headers(String contentType) {
        List<String> h = new ArrayList<>(List.of("Accept", "application/json", "User-Agent", "understudy-cli"));
        if (token != null) h.addAll(List.of("Authorization", "Bearer " + token));
        if (contentType != null) h.addAll(List.of("Content-Type", contentType));
        return h.toArray(String[]::new);
    }

    private static JsonNode parse(int status, String url, String body) {
        try {
            return Json.MAPPER.readTree(body == null ? "" : body);
        } catch (JsonProcessingException e) {
            throw new ApiException(status, "the answer from " + url + " is not JSON: " + snippet(body), null);
        }
    }

    /** Builds the exception from the documented error body, or from the raw text when a proxy or bug sent something else. */
    static ApiException error(int status, String body) {
        try {
            JsonNode n = Json.MAPPER.readTree(body == null ? "" : body);
            if (n != null && n.hasNonNull("error")) {
                String field = n.hasNonNull("field") && !n.get("field").asText().isEmpty() ? n.get("field").asText() : null;
                return new ApiException(status, n.get("error").asText(), field, n);
            }
        } catch (JsonProcessingException e) {
            // not JSON: fall through to the raw text
        }
        String text = snippet(body);
        return new ApiException(status, "HTTP " + status + (text.isEmpty() ? "" : ": " + text), null);
    }

    private static String reason(IOException e) {
        String message = null;
        boolean connect = false;
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof UnknownHostException) return "unknown host " + t.getMessage();
            connect |= t instanceof ConnectException;
            if (message == null && t.getMessage() != null && !t.getMessage().isBlank()) message = t.getMessage();
        }
        // The JDK's HttpClient reports a refused connection as a ConnectException with no message at all.
        if (message == null) return connect ? "connection refused" : e.getClass().getSimpleName();
        return message.toLowerCase();
    }

    private static String unreachableMessage(List<String> failures) {
        if (failures.size() == 1) return "cannot reach understudy at " + failures.get(0);
        return "cannot reach understudy at any of its nodes: " + String.join("; ", failures);
    }

    private static String snippet(String body) {
        if (body == null) return "";
        String line = body.strip().replaceAll("\\s+", " ");
        return line.length() > 200 ? line.substring(0, 200) + "…" : line;
    }

    private static String trimSlash(String url) {
        String u = url.trim();
        while (u.endsWith("/")) u = u.substring(0, u.length() - 1);
        return u;
    }
}
