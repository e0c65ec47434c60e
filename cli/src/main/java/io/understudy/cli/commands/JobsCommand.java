package io.understudy.cli.commands;

import com.fasterxml.jackson.databind.JsonNode;
import io.understudy.cli.client.ApiClient;
import picocli.CommandLine.Command;

/** {@code understudy jobs}: failover and fallback jobs, newest first. */
@Command(name = "jobs", description = "List failover and fallback jobs, newest first.")
public class JobsCommand extends ClientCommand {
    @Override
    protected int run(ApiClient api) {
        JsonNode jobs = api.get("/api/v1/jobs");
        if (options.json()) {
            options.printJson(jobs);
            return Exit.OK;
        }
        Table t = new Table("ID", "TYPE", "PROFILE", "SOURCE", "TARGET", "STATUS", "STEP", "CREATED", "MESSAGE");
        for (JsonNode j : jobs) {
            String step = j.path("status").asText().equals("running") ? Views.str(j, "currentStep") : "-";
            t.row(Views.str(j, "id"), Views.str(j, "type"), Views.str(j, "profile"), Views.str(j, "source"), Views.str(j, "target"),
                    Views.str(j, "status"), step, Views.time(j, "created"), Views.str(j, "message"));
        }
        if (t.isEmpty()) options.out().println("no jobs");
        else t.print(options.out());
        options.out().flush();
        return Exit.OK;
    }
}
