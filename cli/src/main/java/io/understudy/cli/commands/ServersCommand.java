package io.understudy.cli.commands;

import com.fasterxml.jackson.databind.JsonNode;
import io.understudy.cli.client.ApiClient;
import picocli.CommandLine.Command;

/** {@code understudy servers}: every server with its location, group, role, state and profile. */
@Command(name = "servers", description = "List servers: location, group, role, state, profile.")
public class ServersCommand extends ClientCommand {
    @Override
    protected int run(ApiClient api) {
        JsonNode servers = api.get("/api/v1/servers");
        if (options.json()) {
            options.printJson(servers);
            return Exit.OK;
        }
        Table t = new Table("ID", "LOCATION", "GROUP", "ROLE", "STATE", "PROFILE", "MODEL", "REASON");
        for (JsonNode s : servers) {
            t.row(Views.str(s, "id"), Views.str(s, "location"), Views.str(s, "group"), Views.str(s, "role"),
                    Views.str(s, "state"), Views.str(s, "profile"), Views.str(s, "model"), Views.str(s, "reason"));
        }
        if (t.isEmpty()) options.out().println("no servers");
        else t.print(options.out());
        options.out().flush();
        return Exit.OK;
    }
}
