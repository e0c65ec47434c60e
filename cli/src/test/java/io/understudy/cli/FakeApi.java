package io.understudy.cli;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/** A canned understudy REST API on 127.0.0.1: each route answers its queued responses in turn, the last one forever. */
public final class FakeApi implements AutoCloseable {
    public static final String TOKEN = "secret-token";

    /** One request as the fake saw it. */
    public record Request(String method, String path, String query, String contentType, String authorization, String body) {}

    private record Answer(int status, String body) {}

    private final HttpServer server;
    private final Map<String, Deque<Answer>> routes = new ConcurrentHashMap<>();
    private final List<Request> requests = new CopyOnWriteArrayList<>();

    private FakeApi() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", this::handle);
        server.start();
    }

    public static FakeApi start() {
        try {
            return new FakeApi();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Queues an answer for {@code METHOD path} (path without query). */
    public FakeApi on(String method, String path, int status, String json) {
        routes.computeIfAbsent(method + " " + path, k -> new ArrayDeque<>()).addLast(new Answer(status, json.replace('\'', '"')));
        return this;
    }

    public String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    public List<Request> requests() {
        return new ArrayList<>(requests);
    }

    public List<Request> requests(String method, String path) {
        return requests.stream().filter(r -> r.method().equals(method) && r.path().equals(path)).toList();
    }

    /** The given arguments followed by {@code --url} and {@code --token} for this fake. */
    public String[] args(String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(List.of("--url", url(), "--token", TOKEN));
        return all.toArray(String[]::new);
    }

    /** A local URL where nothing listens, so connecting is refused at once. */
    public static String deadUrl() {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getByName("127.0.0.1"))) {
            return "http://127.0.0.1:" + s.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private void handle(HttpExchange ex) throws IOException {
        String body = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        String auth = ex.getRequestHeaders().getFirst("Authorization");
        String path = ex.getRequestURI().getRawPath();
        requests.add(new Request(ex.getRequestMethod(), path, ex.getRequestURI().getRawQuery(),
                ex.getRequestHeaders().getFirst("Content-Type"), auth, body));
        Answer answer;
        if (!("Bearer " + TOKEN).equals(auth)) {
            answer = new Answer(401, "{\"error\":\"missing or bad token\"}");
        } else {
            Deque<Answer> queue = routes.get(ex.getRequestMethod() + " " + path);
            if (queue == null) {
                answer = new Answer(404, "{\"error\":\"no route " + path + "\"}");
            } else {
                synchronized (queue) {
                    answer = queue.size() > 1 ? queue.removeFirst() : queue.getFirst();
                }
            }
        }
        byte[] bytes = answer.body().getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", "application/json");
        ex.sendResponseHeaders(answer.status(), bytes.length == 0 ? -1 : bytes.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(bytes);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
