package io.understudy.cli.commands;

import com.fasterxml.jackson.databind.JsonNode;
import io.understudy.cli.client.ApiClient;
import io.understudy.cli.client.ApiException;

/** What failover and fallback print once the server accepted the job (202 {@code {"job","message"}}), and the optional wait. */
final class JobStart {
    private JobStart() {}

    static int report(ApiClient api, ClientOptions options, WaitOptions waiting, String kind, JsonNode answer, boolean await)
            throws InterruptedException {
        JsonNode job = answer.get("job");
        if (job == null || !job.canConvertToLong()) {
            throw new ApiException(200, "the server accepted the " + kind + " but named no job: " + answer, null);
        }
        long id = job.asLong();
        if (options.json() && !await) {
            options.printJson(answer);
            return Exit.OK;
        }
        if (!options.json()) {
            String message = answer.path("message").asText("");
            options.out().println(kind + " job " + id + " started" + (message.isBlank() ? "" : ": " + message));
            options.out().flush();
        }
        if (!await) return Exit.OK;
        return new JobFollower(api, options, waiting.pollInterval, waiting.timeout).follow(id);
    }
}
