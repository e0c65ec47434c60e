package io.understudy.system;

import com.fasterxml.jackson.databind.JsonNode;
import io.understudy.state.Json;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs the real {@code understudy} jar: a demo server process, and CLI commands against it, with a private HOME. */
final class UnderstudyProcess {
    static final Path JAR = Path.of("..", "cli", "target", "understudy.jar").toAbsolutePath().normalize();

    final Path home;
    final Path dataDir;
    final int port;
    private Process server;

    UnderstudyProcess(Path tmp) throws IOException {
        if (!Files.exists(JAR)) throw new IllegalStateException("build the cli module first: " + JAR + " is missing");
        home = Files.createDirectories(tmp.resolve("home"));
        dataDir = tmp.resolve("data");
        port = freePortPair();
    }

    /** Starts {@code understudy demo} and waits (bounded) until it says it runs. */
    void startDemo(double speed, String... extra) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(java(), "-jar", JAR.toString(), "demo", "--port", String.valueOf(port),
                "--data-dir", dataDir.toString(), "--speed", String.valueOf(speed)));
        cmd.addAll(List.of(extra));
        start(cmd, "understudy demo running");
    }

    /** Starts {@code understudy server --config CONFIG} (its servers the embedded simulator's) and waits until it runs. */
    void startServer(Path config, double speed) throws IOException, InterruptedException {
        start(new ArrayList<>(List.of(java(), "-jar", JAR.toString(), "server", "--config", config.toString(), "--port", String.valueOf(port),
                "--data-dir", dataDir.toString(), "--speed", String.valueOf(speed))), "understudy server running");
    }

    private void start(List<String> cmd, String running) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.environment().put("HOME", home.toString());
        pb.redirectErrorStream(true);
        pb.redirectOutput(ProcessBuilder.Redirect.PIPE);
        server = pb.start();
        BufferedReader out = new BufferedReader(new InputStreamReader(server.getInputStream(), StandardCharsets.UTF_8));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        List<String> seen = new ArrayList<>();
        String line;
        while (System.nanoTime() < deadline && (line = out.readLine()) != null) {
            seen.add(line);
            if (line.contains(running)) {
                Thread drain = new Thread(() -> out.lines().forEach(l -> { }));
                drain.setDaemon(true);
                drain.start();
                return;
            }
        }
        throw new IllegalStateException(cmd.get(3) + " did not start: " + String.join("\n", seen));
    }

    String url() {
        return "http://127.0.0.1:" + port;
    }

    /** The token of the first entry with this role ("admin", "operator", "viewer") in the demo's tokens.json. */
    String token(String role) throws IOException {
        for (JsonNode t : Json.MAPPER.readTree(dataDir.resolve("tokens.json").toFile())) {
            if (t.get("role").asText().equalsIgnoreCase(role)) return t.get("token").asText();
        }
        throw new IllegalStateException("no " + role + " token in " + dataDir.resolve("tokens.json"));
    }

    /** kill -9: no shutdown hook, no flush. */
    void kill9() throws InterruptedException {
        server.destroyForcibly();
        server.waitFor(20, TimeUnit.SECONDS);
    }

    void stop() throws InterruptedException {
        if (server != null && server.isAlive()) {
            server.destroy();
            if (!server.waitFor(20, TimeUnit.SECONDS)) server.destroyForcibly();
        }
    }

    record Result(int exit, String out, String err) {
        JsonNode json() {
            try {
                return Json.MAPPER.readTree(out);
            } catch (IOException e) {
                throw new IllegalStateException("not JSON: " + out + "\n" + err, e);
            }
        }
    }

    /** Runs one CLI command to completion (bounded). */
    Result cli(String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(java(), "-jar", JAR.toString()));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.environment().put("HOME", home.toString());
        Path out = Files.createTempFile("cli", ".out");
        Path err = Files.createTempFile("cli", ".err");
        pb.redirectOutput(out.toFile()).redirectError(err.toFile());
        Process p = pb.start();
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IllegalStateException("CLI timed out: " + cmd);
        }
        Result r = new Result(p.exitValue(), Files.readString(out), Files.readString(err));
        Files.deleteIfExists(out);
        Files.deleteIfExists(err);
        return r;
    }

    /** Polls (bounded, scaled by {@link SystemTests#patience}) until the CLI's JSON answer satisfies the condition. */
    JsonNode await(java.util.function.Predicate<JsonNode> done, Duration limit, String... args) throws Exception {
        limit = SystemTests.patience(limit);
        long deadline = System.nanoTime() + limit.toNanos();
        JsonNode last = null;
        while (System.nanoTime() < deadline) {
            Result r = cli(args);
            if (r.exit() == 0) {
                last = r.json();
                if (done.test(last)) return last;
            }
            Thread.sleep(300);
        }
        throw new AssertionError("not reached within " + limit + "; last answer: " + last);
    }

    private static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    /** A free HTTP port whose successor (the Raft port) is free too. */
    private static int freePortPair() throws IOException {
        return io.understudy.testkit.Ports.freeRun(2);
    }
}
