package io.understudy.cli.commands;

import com.fasterxml.jackson.databind.JsonNode;
import io.understudy.cli.client.ApiClient;
import io.understudy.state.Durations;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** Polls one job until it ends, printing each step when its status changes; used by --wait and --watch. */
final class JobFollower {
    static final Duration DEFAULT_POLL = Duration.ofMillis(500);

    private final ApiClient api;
    private final ClientOptions options;
    private final Duration poll;
    private final Duration timeout;

    JobFollower(ApiClient api, ClientOptions options, Duration poll, Duration timeout) {
        this.api = api;
        this.options = options;
        this.poll = poll;
        this.timeout = timeout;
    }

    /** Follows job {@code id}; 0 when it succeeded, 1 when it failed or is still running at the timeout. */
    int follow(long id) throws InterruptedException {
        return follow(id, null);
    }

    /** As {@link #follow(long)}, starting from a copy of the job the caller already fetched (null: none). */
    int follow(long id, JsonNode first) throws InterruptedException {
        Map<String, String> printed = new HashMap<>();
        long deadline = System.nanoTime() + timeout.toNanos();
        PrintWriter out = options.out();
        while (true) {
            JsonNode job = first != null ? first : api.get("/api/v1/jobs/" + id);
            first = null;
            String status = job.path("status").asText("");
            if (!options.json()) {
                for (JsonNode step : job.path("steps")) {
                    String name = step.path("name").asText("?");
                    String stepStatus = step.path("status").asText("?");
                    // Pending steps say nothing new; each other state is printed once, as it is reached.
                    if (stepStatus.equals("pending") || stepStatus.equals(printed.get(name))) continue;
                    printed.put(name, stepStatus);
                    out.println(stepLine(step));
                }
                out.flush();
            }
            if (!status.equals("running") && !status.isEmpty()) return ended(id, job, status);
            if (System.nanoTime() - deadline > 0) {
                options.err().println("error: job " + id + " still running after " + Durations.format(timeout)
                        + " (step " + Views.str(job, "currentStep") + "); follow it with: understudy job " + id + " --watch");
                options.err().flush();
                return Exit.FAILED;
            }
            Thread.sleep(poll.toMillis());
        }
    }

    private int ended(long id, JsonNode job, String status) {
        if (options.json()) {
            options.printJson(job);
        } else {
            String took = Views.elapsed(job, "created", "ended");
            String line = "job " + id + " " + status + (took.isEmpty() ? "" : " in " + took)
                    + (job.hasNonNull("message") ? ": " + job.get("message").asText() : "");
            if (status.equals("succeeded")) {
                options.out().println(line);
                options.out().flush();
            } else {
                options.err().println("error: " + line);
                options.err().flush();
            }
        }
        return status.equals("succeeded") ? Exit.OK : Exit.FAILED;
    }

    /** {@code "  fence            done       1.5s  power off confirmed"}. */
    static String stepLine(JsonNode step) {
        return String.format("  %-16s %-8s %7s  %s", step.path("name").asText("?"), step.path("status").asText("?"),
                Views.elapsed(step, "started", "ended"), step.hasNonNull("message") ? step.get("message").asText() : "").stripTrailing();
    }

    /** Parses {@code 10m}, {@code 30s}, {@code 500ms} for --timeout and --poll-interval. */
    static final class DurationConverter implements ITypeConverter<Duration> {
        @Override
        public Duration convert(String value) {
            try {
                Duration d = Durations.parse(value);
                if (d.isNegative()) throw new TypeConversionException("expected a positive duration, got '" + value + "'");
                return d;
            } catch (IllegalArgumentException e) {
                throw new TypeConversionException(e.getMessage());
            }
        }
    }
}
