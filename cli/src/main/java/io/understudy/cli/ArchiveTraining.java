package io.understudy.cli;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.understudy.cli.client.ClientConfig;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * The run the CLI's class-data sharing archive is made from at package time (cli/pom.xml): the client calls operators
 * make most, each answered, so the archive holds the classes a real call loads. A loopback HTTP server of its own
 * answers them, as no understudy server runs during a build. Never part of a user's call.
 */
public final class ArchiveTraining {
    private static final String SERVER = "{\"id\":\"bl-1\",\"location\":\"enc1/bay1\",\"group\":\"hot\",\"role\":\"primary\","
            + "\"state\":\"running\",\"profile\":\"db-1\",\"model\":\"sim\",\"simulated\":[\"bmc\",\"agent\"],\"reason\":null}";

    private ArchiveTraining() {}

    public static void main(String[] args) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", ArchiveTraining::answer);
        server.start();
        Path dir = Files.createTempDirectory("understudy-cds");
        int failed = 0;
        try {
            String url = "http://127.0.0.1:" + server.getAddress().getPort();
            // A call without --url reads the client file the demo writes: YAML.
            Path file = dir.resolve("client.yaml");
            ClientConfig.write(file, List.of(url), "training");
            ClientConfig.load(null, null, Map.of(), file);
            for (String[] call : List.of(new String[] {"servers"}, new String[] {"servers", "-o", "json"}, new String[] {"jobs"})) {
                String[] full = concat(call, "--url", url, "--token", "training");
                if (Main.commandLineFor(full).execute(full) != 0) failed++;
            }
        } finally {
            server.stop(0);
            Files.deleteIfExists(dir.resolve("client.yaml"));
            Files.deleteIfExists(dir);
        }
        System.exit(failed == 0 ? 0 : 1);
    }

    private static String[] concat(String[] a, String... b) {
        String[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    /** One server for {@code servers}, an empty list for anything else. */
    private static void answer(HttpExchange exchange) throws IOException {
        String body = exchange.getRequestURI().getPath().equals("/api/v1/servers") ? "[" + SERVER + "]" : "[]";
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(200, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }
}
