package io.understudy.cli.commands;

import com.fasterxml.jackson.databind.JsonNode;
import io.understudy.cli.client.ApiClient;
import java.io.PrintWriter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code understudy job N [--watch]}: one job and its steps; --watch follows it until it ends. */
@Command(name = "job", description = "Show one job with its steps; --watch follows it until it ends.")
public class JobCommand extends ClientCommand {
    @Parameters(index = "0", paramLabel = "JOB", description = "Job number.")
    long id;

    @Option(names = "--watch", description = "Follow the job until it ends; exit 0 if it succeeded, 1 if it failed.")
    boolean watch;

    @Mixin
    WaitOptions waiting;

    @Override
    protected int run(ApiClient api) throws InterruptedException {
        JsonNode job = api.get("/api/v1/jobs/" + id);
        if (options.json() && !watch) {
            options.printJson(job);
            return Exit.OK;
        }
        if (!options.json()) printHeader(job, options.out());
        if (!watch) {
            printSteps(job, options.out());
            return Exit.OK;
        }
        options.out().println("  steps:");
        return new JobFollower(api, options, waiting.pollInterval, waiting.timeout).follow(id, job);
    }

    private static void printHeader(JsonNode j, PrintWriter out) {
        out.println("job " + Views.str(j, "id") + "  " + Views.str(j, "type") + "  " + Views.str(j, "status"));
        Table t = new Table("", "").indent("  ").noHeader();
        t.row("group", Views.str(j, "group"));
        t.row("profile", Views.str(j, "profile"));
        t.row("source", Views.str(j, "source"));
        t.row("target", Views.str(j, "target"));
        t.row("started", Views.time(j, "created") + " by " + Views.str(j, "startedBy")
                + (j.hasNonNull("reason") ? " (" + j.get("reason").asText() + ")" : ""));
        if (j.hasNonNull("ended")) t.row("ended", Views.time(j, "ended") + " after " + Views.elapsed(j, "created", "ended"));
        if (j.hasNonNull("message")) t.row("message", Views.str(j, "message"));
        t.print(out);
        out.flush();
    }

    private static void printSteps(JsonNode j, PrintWriter out) {
        Table t = new Table("STEP", "STATUS", "TIME", "MESSAGE").indent("  ");
        for (JsonNode s : j.path("steps")) {
            t.row(Views.str(s, "name"), Views.str(s, "status"), Views.elapsed(s, "started", "ended"), Views.str(s, "message"));
        }
        if (t.isEmpty()) out.println("  no steps yet");
        else t.print(out);
        out.flush();
    }
}
