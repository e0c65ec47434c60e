package io.understudy.cli.commands;

import com.fasterxml.jackson.databind.JsonNode;
import io.understudy.cli.client.ApiClient;
import picocli.CommandLine.Command;

/** {@code understudy groups}: protection level, event handling, free spares, maintenance and capacity per group. */
@Command(name = "groups",
        description = "List groups: protection level, event handling, spares free/total, maintenance, capacity.")
public class GroupsCommand extends ClientCommand {
    @Override
    protected int run(ApiClient api) {
        JsonNode groups = api.get("/api/v1/groups");
        if (options.json()) {
            options.printJson(groups);
            return Exit.OK;
        }
        Table t = new Table("ID", "LEVEL", "EVENTS", "SPARES", "MAINT", "CAPACITY");
        for (JsonNode g : groups) {
            JsonNode policy = g.path("policy");
            t.row(Views.str(g, "id"), Views.str(policy, "protection"), Views.str(policy, "eventHandling"),
                    Views.size(g, "freeSpares") + "/" + Views.size(g, "spares"), Views.yesNo(g, "maintenance"), capacity(g.get("capacity")));
        }
        if (t.isEmpty()) options.out().println("no groups");
        else t.print(options.out());
        options.out().flush();
        return Exit.OK;
    }

    private static String capacity(JsonNode c) {
        if (c == null || c.isNull() || !c.has("sufficient")) return "-";
        if (c.path("sufficient").asBoolean()) return "ok";
        return "short" + (c.hasNonNull("reason") ? ": " + c.get("reason").asText() : "");
    }
}
