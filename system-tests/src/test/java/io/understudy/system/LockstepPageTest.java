package io.understudy.system;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.understudy.state.Json;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;

/**
 * A lockstep profile in a real server process (its two servers the embedded simulator's): the API, and the web page in
 * headless Chromium, show the pair paired; the primary crashes, is fenced and the alias moves to the twin, and both
 * say degraded with the lockstep-degraded alarm; the old home repaired, the pair is whole again (its member started
 * there) and the alarm clears. The simulator's members are real ones (server SimPairs): the twin goes on counting
 * past what the pair had when the primary died.
 */
class LockstepPageTest {
    static final Duration STEP = Duration.ofSeconds(90);
    static final String CONFIG = """
            name: ledger
            enclosures:
              - {id: cab1, bays: 2}
            servers:
              - {id: led-a, location: cab1/bay1, hostname: led-a, model: M, generation: G1, cores: 8, memoryGib: 32}
              - {id: led-b, location: cab1/bay2, hostname: led-b, model: M, generation: G1, cores: 8, memoryGib: 32}
            groups:
              - id: ledger
                servers: [led-a]
                spares: [led-b]
                policy: {protection: lockstep, heartbeatInterval: 500ms, failureTimeout: 3s}
            profiles:
              - id: ledger
                group: ledger
                home: led-a
                pairPort: 7811
                identity: {hostname: ledger, addresses: [198.18.42.10/24]}
            """;

    final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    UnderstudyProcess u;
    Browser b;

    @AfterEach
    void stop() throws Exception {
        if (b != null) b.close();
        if (u != null) u.stop();
    }

    @Test
    void pairShownPaired_primaryCrashes_aliasOnTwin_degraded_thenWholeAgain_inApiAndPage(@TempDir Path tmp) throws Exception {
        Browser.requireInstalled();
        Path config = Files.writeString(tmp.resolve("ledger.yaml"), CONFIG);
        u = new UnderstudyProcess(tmp);
        u.startServer(config, 4);
        // The simulator's pair runs real members of the example service, which a small client feeds: seq moves.
        JsonNode pair = awaitPair("paired", p -> "led-a".equals(p.path("primary").asText()) && p.path("seq").asLong() > 0);
        assertThat(pair.path("twin").asText()).isEqualTo("led-b");
        long before = pair.path("seq").asLong();

        b = Browser.start(1280, 900);
        b.driver.get(u.url() + "/");
        b.await(Duration.ofSeconds(10), "login form", d -> d.findElement(By.id("token")).isDisplayed());
        b.driver.findElement(By.id("token")).sendKeys(u.token("admin"));
        b.driver.findElement(By.id("login-button")).click();
        assertThat(pageState()).isEqualTo("paired");
        assertThat(pageText()).contains("twin led-b").contains("paired");

        HttpResponse<String> r = send("POST", "/sim/servers/led-a/fail", "{\"mode\": \"crash\"}");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        pair = awaitPair("degraded", p -> "led-b".equals(p.path("primary").asText()) && p.path("seq").asLong() > before);
        assertThat(pair.path("twin").asText()).isEqualTo("led-a");
        awaitApi("ledger on led-b, its failover over", "/profiles", n -> "led-b".equals(n.get(0).path("server").asText())
                && n.get(0).path("activeJob").isNull());
        JsonNode job = SystemTests.stream(awaitApi("failover job", "/jobs", n -> SystemTests.stream(n).anyMatch(j -> "failover".equals(j.path("type").asText()))))
                .filter(j -> "failover".equals(j.path("type").asText())).findFirst().orElseThrow();
        assertThat(job.path("status").asText()).as(job.toString()).isEqualTo("succeeded");
        assertThat(job.path("target").asText()).isEqualTo("led-b");
        awaitApi("lockstep-degraded open", "/alarms", n -> open(n, "lockstep-degraded"));
        b.await(SystemTests.patience(STEP), "page says degraded", d -> "degraded".equals(pageState()));
        assertThat(pageText()).contains("twin led-a");

        r = send("POST", "/sim/servers/led-a/repair", null);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        awaitPair("paired", p -> "led-b".equals(p.path("primary").asText()) && "led-a".equals(p.path("twin").asText()));
        awaitApi("lockstep-degraded cleared", "/alarms", n -> !open(n, "lockstep-degraded"));
        // Synced back in by a job with its steps, which the page lists like every other job.
        JsonNode rePair = SystemTests.stream(awaitApi("re-pair job of led-a succeeded", "/jobs", n -> SystemTests.stream(n).anyMatch(j ->
                "re-pair".equals(j.path("type").asText()) && "led-a".equals(j.path("target").asText()) && "succeeded".equals(j.path("status").asText()))))
                .filter(j -> "re-pair".equals(j.path("type").asText()) && "led-a".equals(j.path("target").asText())).findFirst().orElseThrow();
        assertThat(rePair.path("source").asText()).isEqualTo("led-b");
        String row = "tr[data-job='" + rePair.path("id").asText() + "']";
        b.await(SystemTests.patience(STEP), "page lists the re-pair job", d -> d.findElements(By.cssSelector(row)).stream()
                .anyMatch(e -> e.getAttribute("textContent").contains("re-pair")) ? true : null);
        b.await(SystemTests.patience(STEP), "page says paired again", d -> "paired".equals(pageState()));
    }

    private String pageState() {
        return b.await(SystemTests.patience(STEP), "the pair's line", d -> {
            var found = d.findElements(By.cssSelector("tr[data-profile='ledger'] .pair"));
            return found.isEmpty() ? null : found.get(0).getAttribute("data-pair-state");
        });
    }

    private String pageText() {
        WebElement e = b.driver.findElement(By.cssSelector("tr[data-profile='ledger'] .pair"));
        return e.getText();
    }

    private static boolean open(JsonNode alarms, String type) {
        for (JsonNode a : alarms) if (type.equals(a.path("type").asText()) && a.path("cleared").isNull()) return true;
        return false;
    }

    private JsonNode awaitPair(String state, Predicate<JsonNode> also) throws Exception {
        JsonNode profiles = awaitApi("pair " + state, "/profiles", n -> {
            JsonNode p = n.get(0).path("pair");
            return state.equals(p.path("state").asText()) && also.test(p);
        });
        return profiles.get(0).path("pair");
    }

    private HttpResponse<String> send(String method, String path, String body) throws Exception {
        HttpRequest r = HttpRequest.newBuilder(URI.create(u.url() + "/api/v1" + path)).timeout(Duration.ofSeconds(10))
                .header("Authorization", "Bearer " + u.token("admin")).header("Content-Type", "application/json")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body)).build();
        return http.send(r, HttpResponse.BodyHandlers.ofString());
    }

    private JsonNode awaitApi(String what, String path, Predicate<JsonNode> done) throws Exception {
        Duration limit = SystemTests.patience(STEP);
        long deadline = System.nanoTime() + limit.toNanos();
        JsonNode last = null;
        while (System.nanoTime() < deadline) {
            HttpResponse<String> r = send("GET", path, null);
            assertThat(r.statusCode()).as(path + ": " + r.body()).isEqualTo(200);
            last = Json.MAPPER.readTree(r.body());
            if (done.test(last)) return last;
            Thread.sleep(200);
        }
        throw new AssertionError(what + ": not reached within " + limit + "; last answer: " + last);
    }
}
