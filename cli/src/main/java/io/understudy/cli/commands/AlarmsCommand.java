package io.understudy.cli.commands;

import com.fasterxml.jackson.databind.JsonNode;
import io.understudy.cli.client.ApiClient;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code understudy alarms [--all]}: open alarms, or every alarm including cleared ones. */
@Command(name = "alarms", description = "List open alarms (--all: cleared ones too).")
public class AlarmsCommand extends ClientCommand {
    @Option(names = "--all", description = "Include cleared alarms.")
    boolean all;

    @Override
    protected int run(ApiClient api) {
        JsonNode alarms = api.get("/api/v1/alarms" + (all ? "?all=true" : ""));
        if (options.json()) {
            options.printJson(alarms);
            return Exit.OK;
        }
        Table t = all ? new Table("ID", "TYPE", "SUBJECT", "RAISED", "CLEARED", "TEXT") : new Table("ID", "TYPE", "SUBJECT", "RAISED", "TEXT");
        for (JsonNode a : alarms) {
            if (all) t.row(Views.str(a, "id"), Views.str(a, "type"), Views.str(a, "subject"), Views.time(a, "raised"), Views.time(a, "cleared"), Views.str(a, "text"));
            else t.row(Views.str(a, "id"), Views.str(a, "type"), Views.str(a, "subject"), Views.time(a, "raised"), Views.str(a, "text"));
        }
        if (t.isEmpty()) options.out().println(all ? "no alarms" : "no open alarms");
        else t.print(options.out());
        options.out().flush();
        return Exit.OK;
    }
}
