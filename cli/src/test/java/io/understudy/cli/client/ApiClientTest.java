package io.understudy.cli.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.understudy.cli.FakeApi;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ApiClientTest {
    final FakeApi api = FakeApi.start();

    @AfterEach
    void stop() {
        api.close();
    }

    @Test
    void get_firstNodeUnreachable_usesNextAndSticksToIt() {
        api.on("GET", "/api/v1/cluster", 200, "{'leader':true,'node':'n2'}");
        ApiClient client = new ApiClient(List.of(FakeApi.deadUrl(), api.url() + "/"), FakeApi.TOKEN);

        assertThat(client.get("/api/v1/cluster").get("node").asText()).isEqualTo("n2");
        assertThat(client.get("/api/v1/cluster").get("leader").asBoolean()).isTrue();
        assertThat(api.requests()).hasSize(2);
    }

    @Test
    void get_everyNodeUnreachable_namesEachUrl() {
        String a = FakeApi.deadUrl();
        String b = FakeApi.deadUrl();
        ApiClient client = new ApiClient(List.of(a, b), "t");

        assertThatThrownBy(() -> client.get("/api/v1/servers")).isInstanceOf(UnreachableException.class)
                .hasMessage("cannot reach understudy at any of its nodes: " + a + ": connection refused; " + b + ": connection refused");
    }

    @Test
    void post_noLeader503_triesNextNode() {
        try (FakeApi follower = FakeApi.start()) {
            follower.on("POST", "/api/v1/failover", 503, "{'error':'no leader'}");
            api.on("POST", "/api/v1/failover", 202, "{'job':3,'message':'ok'}");
            ApiClient client = new ApiClient(List.of(follower.url(), api.url()), FakeApi.TOKEN);

            assertThat(client.post("/api/v1/failover", java.util.Map.of("server", "bl-1")).get("job").asLong()).isEqualTo(3);
            assertThat(follower.requests()).hasSize(1);
        }
    }

    @Test
    void get_onlyNodeAnswers503_throwsApiException() {
        api.on("GET", "/api/v1/jobs", 503, "{'error':'no leader'}");
        ApiClient client = new ApiClient(List.of(api.url()), FakeApi.TOKEN);

        assertThatThrownBy(() -> client.get("/api/v1/jobs")).isInstanceOfSatisfying(ApiException.class, e -> {
            assertThat(e.status()).isEqualTo(503);
            assertThat(e.error()).isEqualTo("no leader");
        });
    }

    @Test
    void get_errorBodyNotJson_keepsStatusAndText() {
        api.on("GET", "/api/v1/servers", 500, "Internal <b>boom</b>");
        ApiClient client = new ApiClient(List.of(api.url()), FakeApi.TOKEN);

        assertThatThrownBy(() -> client.get("/api/v1/servers")).isInstanceOfSatisfying(ApiException.class, e -> {
            assertThat(e.status()).isEqualTo(500);
            assertThat(e.getMessage()).isEqualTo("HTTP 500: Internal <b>boom</b>");
            assertThat(e.field()).isNull();
        });
    }

    @Test
    void post_errorWithField_exposesField() {
        api.on("POST", "/api/v1/profiles/web-1/lock", 404, "{'error':'no server bl-99','field':'server'}");
        ApiClient client = new ApiClient(List.of(api.url()), FakeApi.TOKEN);

        assertThatThrownBy(() -> client.post("/api/v1/profiles/web-1/lock", java.util.Map.of("server", "bl-99")))
                .isInstanceOfSatisfying(ApiException.class, e -> {
                    assertThat(e.field()).isEqualTo("server");
                    assertThat(e.getMessage()).isEqualTo("no server bl-99 (field: server)");
                });
    }

    @Test
    void get_nodeThatNeverAnswers_movesOnToTheNext() throws IOException {
        api.on("GET", "/api/v1/cluster", 200, "{'node':'n2'}");
        try (ServerSocket silent = silentNode()) {
            assertThat(silentFirst(silent).get("/api/v1/cluster").get("node").asText()).isEqualTo("n2");
        }
    }

    @Test
    void post_nodeThatNeverAnswers_isNotSentToAnother() throws IOException {
        api.on("POST", "/api/v1/failover", 202, "{'job':3}");
        try (ServerSocket silent = silentNode()) {
            ApiClient client = silentFirst(silent);

            assertThatThrownBy(() -> client.post("/api/v1/failover", Map.of("server", "bl-1")))
                    .isInstanceOf(UnreachableException.class)
                    .hasMessageStartingWith("understudy at " + client.urls().get(0) + ": no answer within")
                    .hasMessageEndingWith("(the request may still be applied)");
            assertThat(api.requests()).isEmpty();
        }
    }

    @Test
    void post_withoutBody_sendsAnEmptyPostWithTheToken() {
        api.on("POST", "/api/v1/profiles/db-1/fallback", 202, "{'job':4}");
        ApiClient client = new ApiClient(List.of(api.url()), FakeApi.TOKEN);

        assertThat(client.post("/api/v1/profiles/db-1/fallback", null).get("job").asLong()).isEqualTo(4);
        assertThat(api.requests()).singleElement().satisfies(q -> {
            assertThat(q.method()).isEqualTo("POST");
            assertThat(q.body()).isEmpty();
            assertThat(q.authorization()).isEqualTo("Bearer " + FakeApi.TOKEN);
        });
    }

    /** A client that asks the silent node first, then the fake; a short request timeout, as the silent node never answers. */
    private ApiClient silentFirst(ServerSocket silent) {
        String mute = "http://127.0.0.1:" + silent.getLocalPort();
        return new ApiClient(List.of(mute, api.url()), FakeApi.TOKEN, ApiClient.CONNECT_TIMEOUT, Duration.ofMillis(300));
    }

    /** A node that takes connections (the kernel's backlog accepts them) but never reads or answers. */
    private static ServerSocket silentNode() throws IOException {
        return new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"));
    }

    @Test
    void segment_oddCharacters_areEncoded() {
        assertThat(ApiClient.segment("web 1/a?b")).isEqualTo("web%201%2Fa%3Fb");
    }
}
