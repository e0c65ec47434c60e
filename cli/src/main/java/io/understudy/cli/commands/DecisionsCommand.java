package io.understudy.cli.commands;

import com.fasterxml.jackson.databind.JsonNode;
import io.understudy.cli.client.ApiClient;
import picocli.CommandLine.Command;

/** {@code understudy decisions}: the engine's recent decisions and their reasons, newest last. */
@Command(name = "decisions", description = "Show the engine's recent decisions and why, newest last.")
public class DecisionsCommand extends ClientCommand {
    @Override
    protected int run(ApiClient api) {
        JsonNode decisions = api.get("/api/v1/decisions");
        if (options.json()) {
            options.printJson(decisions);
            return Exit.OK;
        }
        Table t = new Table("AT", "SUBJECT", "TEXT");
        for (JsonNode d : decisions) t.row(Views.time(d, "at"), Views.str(d, "subject"), Views.str(d, "text"));
        if (t.isEmpty()) options.out().println("no decisions yet");
        else t.print(options.out());
        options.out().flush();
        return Exit.OK;
    }
}
