package io.understudy.cli.commands;

import com.fasterxml.jackson.databind.JsonNode;
import io.understudy.cli.client.ApiClient;
import picocli.CommandLine.Command;

/** {@code understudy servers}: every server with its location, group, role, state and profile. */
@Command(name = "servers", description = "List servers: location, group, role, state, profile, and what of them the simulator plays.")
public class ServersCommand extends ClientCommand {
    @Override
    protected int run(ApiClient api) {
        JsonNode servers = api.get("/api/v1/servers");
        if (options.json()) {
            options.printJson(servers);
            return Exit.OK;
        }
        Table t = new Table("ID", "LOCATION", "GROUP", "ROLE", "STATE", "PROFILE", "MODEL", "SIMULATED", "REASON");
        java.util.List<String> standIns = new java.util.ArrayList<>();
        for (JsonNode s : servers) {
            String simulated = simulated(s.path("simulated"));
            if (simulated.equals("agent(lab)")) standIns.add(Views.str(s, "id"));
            t.row(Views.str(s, "id"), Views.str(s, "location"), Views.str(s, "group"), Views.str(s, "role"),
                    Views.str(s, "state"), Views.str(s, "profile"), Views.str(s, "model"), simulated, Views.str(s, "reason"));
        }
        if (t.isEmpty()) options.out().println("no servers");
        else t.print(options.out());
        if (!standIns.isEmpty()) {
            options.out().println("lab: the simulator stands in for the agent of " + String.join(", ", standIns)
                    + " (--simulate-missing-agents): a crash of " + (standIns.size() == 1 ? "it" : "them") + " is never seen");
        }
        options.out().flush();
        return Exit.OK;
    }

    /** What the simulator plays of the server: "bmc,agent" (the demo's), "agent(lab)" (a lab's stand-in), "-" (real). */
    static String simulated(JsonNode parts) {
        java.util.List<String> p = new java.util.ArrayList<>();
        parts.forEach(x -> p.add(x.asText()));
        if (p.isEmpty()) return "-";
        return p.equals(java.util.List.of("agent")) ? "agent(lab)" : String.join(",", p);
    }
}
