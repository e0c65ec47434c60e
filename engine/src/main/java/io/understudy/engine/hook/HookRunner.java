package io.understudy.engine.hook;

import io.understudy.model.config.HookSpec;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.SortedMap;

/** Runs one hook once, whichever kind it is; never throws: every failure is a {@link HookResult} saying what went wrong. */
public final class HookRunner {
    private final WebhookPost webhooks;

    public HookRunner() {
        this(HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build());
    }

    HookRunner(HttpClient http) {
        this.webhooks = new WebhookPost(http);
    }

    /** @param idempotencyKey the same for every attempt of one event (a webhook sends it; a command sees event_id) */
    public HookResult run(HookSpec hook, SortedMap<String, String> variables, String idempotencyKey) {
        try {
            return hook.byWebhook() ? webhooks.post(hook, variables, idempotencyKey) : CommandHook.run(hook, variables);
        } catch (RuntimeException e) {
            return HookResult.failed(hook.name(), "failed: " + e);
        }
    }
}
