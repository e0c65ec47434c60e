package io.understudy.cli.commands;

import com.fasterxml.jackson.databind.JsonNode;
import io.understudy.cli.client.ApiClient;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code understudy hooks ...}: the hooks that tell the outside world what understudy does. */
@Command(name = "hooks", description = "Hooks: commands and webhooks run when understudy acts.",
        subcommands = {HooksCommand.Test.class})
public class HooksCommand {
    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help and exit.")
    boolean help;

    /** {@code hooks test EVENT}: fires a sample event at the configured hooks and shows what each returned. */
    @Command(name = "test", description = "Fire a sample EVENT at the hooks configured for it (admin) and show what each returned;"
            + " exits 1 if one failed. Nothing is recorded and a pre-failover veto stops nothing.")
    public static class Test extends ClientCommand {
        @Parameters(index = "0", paramLabel = "EVENT", description = "pre-failover, post-failover, failover-failed, pre-move, post-move,"
                + " fallback, alarm-raised or alarm-cleared.")
        String event;

        @Option(names = "--group", paramLabel = "GROUP", description = "Also the hooks of this group, with a profile of it in the sample.")
        String group;

        @Override
        protected int run(ApiClient api) {
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("event", event);
            if (group != null) body.put("group", group);
            JsonNode report = api.post("/api/v1/hooks/test", body);
            boolean failed = false;
            for (JsonNode r : report.path("results")) failed |= !r.path("ok").asBoolean();
            if (options.json()) {
                options.printJson(report);
                return failed ? Exit.FAILED : Exit.OK;
            }
            if (report.path("results").isEmpty()) {
                options.out().println("no hook runs on " + event + (group == null ? " outside groups" : " in group " + group));
            } else {
                Table t = new Table("HOOK", "RESULT", "RETURNED");
                for (JsonNode r : report.path("results")) {
                    t.row(Views.str(r, "hook"), r.path("ok").asBoolean() ? "ok" : "FAILED", Views.str(r, "result").replace('\n', ' '));
                }
                t.print(options.out());
            }
            options.out().flush();
            return failed ? Exit.FAILED : Exit.OK;
        }
    }
}
