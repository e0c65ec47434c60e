package io.understudy.cli.commands;

import com.fasterxml.jackson.databind.JsonNode;
import io.understudy.cli.client.ApiClient;
import picocli.CommandLine.Command;

/** {@code understudy profiles}: where each profile lives, its home, priority, fallback mode, lock and running job. */
@Command(name = "profiles",
        description = "List profiles: group, home, current server, priority, fallback, lock, running job.")
public class ProfilesCommand extends ClientCommand {
    @Override
    protected int run(ApiClient api) {
        JsonNode profiles = api.get("/api/v1/profiles");
        if (options.json()) {
            options.printJson(profiles);
            return Exit.OK;
        }
        Table t = new Table("ID", "GROUP", "HOME", "SERVER", "PRIORITY", "FALLBACK", "LOCK", "JOB");
        for (JsonNode p : profiles) {
            t.row(Views.str(p, "id"), Views.str(p, "group"), Views.str(p, "home"), Views.str(p, "server"),
                    Views.str(p, "priority"), Views.str(p, "fallback"), Views.str(p, "lockedTo"), Views.str(p, "activeJob"));
        }
        if (t.isEmpty()) options.out().println("no profiles");
        else t.print(options.out());
        // Lockstep pairs: which member serves, which follows, and how far behind.
        Table pairs = new Table("PAIR", "PRIMARY", "TWIN", "STATE", "SEQ", "LAG", "WHY");
        for (JsonNode p : profiles) {
            JsonNode pair = p.path("pair");
            if (pair.isMissingNode() || pair.isNull()) continue;
            pairs.row(Views.str(p, "id"), Views.str(pair, "primary"), Views.str(pair, "twin"), Views.str(pair, "state"),
                    Views.str(pair, "seq"), Views.str(pair, "lag"), Views.str(pair, "why"));
        }
        if (!pairs.isEmpty()) {
            options.out().println();
            pairs.print(options.out());
        }
        options.out().flush();
        return Exit.OK;
    }
}
