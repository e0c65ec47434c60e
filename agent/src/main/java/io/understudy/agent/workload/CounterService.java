package io.understudy.agent.workload;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * A small stateful workload for tests and demonstrations: an HTTP counter that keeps its count in its data directory,
 * so a failover shows whether the data came along. {@code GET /} answers {@code NAME COUNT} and counts the request;
 * {@code GET /peek} answers the same without counting; {@code GET /who} answers the name alone (for outage probes). It starts in a fraction of a second (the JDK's own HTTP server, no
 * framework), as a workload on a hot spare must.
 *
 * <p>Run: {@code java -cp understudy.jar io.understudy.agent.workload.CounterService NAME ADDRESS PORT DATA_DIR}
 */
public final class CounterService {
    private CounterService() {}

    public static void main(String[] args) throws IOException {
        if (args.length != 4) {
            System.err.println("usage: CounterService NAME ADDRESS PORT DATA_DIR");
            System.exit(2);
        }
        String name = args[0];
        Path data = Files.createDirectories(Path.of(args[3]));
        Path file = data.resolve("count");
        long[] count = {Files.exists(file) ? Long.parseLong(Files.readString(file).strip()) : 0};
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getByName(args[1]), Integer.parseInt(args[2])), 64);
        server.createContext("/", exchange -> {
            String body;
            String path = exchange.getRequestURI().getPath();
            synchronized (count) {
                if (path.equals("/who")) {
                    body = name;
                } else if (!path.equals("/peek")) {
                    count[0]++;
                    // Written whole and renamed, so a kill -9 leaves the old count or the new one, never half of one.
                    Path tmp = data.resolve("count.tmp");
                    Files.writeString(tmp, Long.toString(count[0]));
                    Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
                    body = name + " " + count[0] + "\n";
                } else {
                    body = name + " " + count[0] + "\n";
                }
            }
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "text/plain");
            exchange.sendResponseHeaders(200, bytes.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        });
        server.start();
        System.out.println("counter " + name + " serving on " + args[1] + ":" + args[2] + " from " + data);
    }
}
