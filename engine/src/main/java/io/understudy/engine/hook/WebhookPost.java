package io.understudy.engine.hook;

import io.understudy.model.config.HookSpec;
import io.understudy.state.Json;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.util.HexFormat;
import java.util.SortedMap;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Delivers an event to a webhook: the variables as a JSON body, signed in {@value #SIGNATURE} with HMAC-SHA256 of the
 * body under the hook's secret (read from its file at each attempt, so a rotated secret needs no restart), and an
 * {@value #IDEMPOTENCY} header that is the same on every attempt of one event, on any leader: a receiver that saw
 * it already drops the repeat a leader change may cause. Only a 2xx answer delivers.
 */
final class WebhookPost {
    static final String SIGNATURE = "X-Understudy-Signature";
    static final String IDEMPOTENCY = "Idempotency-Key";

    private final HttpClient http;

    WebhookPost(HttpClient http) {
        this.http = http;
    }

    HookResult post(HookSpec hook, SortedMap<String, String> variables, String idempotencyKey) {
        byte[] body = Json.bytes(variables);
        String signature;
        try {
            signature = "sha256=" + sign(Files.readString(Path.of(hook.secretFile())).strip(), body);
        } catch (IOException e) {
            return HookResult.failed(hook.name(), "cannot read secretFile " + hook.secretFile() + ": " + e.getMessage());
        }
        HttpRequest request = HttpRequest.newBuilder(URI.create(hook.webhook()))
                .timeout(hook.timeout())
                .header("Content-Type", "application/json")
                .header(SIGNATURE, signature)
                .header(IDEMPOTENCY, idempotencyKey)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                .build();
        try {
            HttpResponse<String> r = http.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
            String said = "HTTP " + r.statusCode() + (r.body().isBlank() ? "" : ": " + r.body());
            return r.statusCode() / 100 == 2 ? HookResult.ok(hook.name(), said) : HookResult.failed(hook.name(), said);
        } catch (HttpTimeoutException e) {
            return HookResult.failed(hook.name(), "no answer from " + hook.webhook() + " within " + hook.timeout().toMillis() + " ms");
        } catch (IOException e) {
            return HookResult.failed(hook.name(), "cannot POST to " + hook.webhook() + ": " + e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return HookResult.failed(hook.name(), "interrupted");
        }
    }

    /** Lower-case hex HMAC-SHA256 of {@code body} under {@code secret}: what a receiver recomputes to trust the POST. */
    static String sign(String secret, byte[] body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return HexFormat.of().formatHex(mac.doFinal(body));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
        }
    }
}
