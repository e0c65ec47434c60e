package io.understudy.cli.commands;

import com.fasterxml.jackson.databind.JsonNode;
import io.understudy.cli.client.ApiClient;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/** {@code understudy plan}: what would happen if these servers or enclosures failed now, or were drained; changes nothing. */
@Command(name = "plan",
        description = "Show where each profile would go if the named servers or enclosures failed now (--fail, --fail-enclosure)"
                + " or were drained (--drain); changes nothing.")
public class PlanCommand extends ClientCommand {
    @Option(names = "--fail", split = ",", paramLabel = "SERVER", description = "Servers (id or ENC/BAY) to assume failed.")
    List<String> fail = new ArrayList<>();

    @Option(names = "--fail-enclosure", split = ",", paramLabel = "ENC", description = "Enclosures to assume failed.")
    List<String> failEnclosure = new ArrayList<>();

    @Option(names = "--drain", split = ",", paramLabel = "NAME",
            description = "Servers (id, enclosure/bay, hostname or address) or enclosures to assume drained, as 'understudy drain' takes them.")
    List<String> drain = new ArrayList<>();

    @Override
    protected void validate() {
        if (!drain.isEmpty() && !(fail.isEmpty() && failEnclosure.isEmpty())) {
            throw new ParameterException(options.spec().commandLine(), "plan: --drain plans a drain; leave out --fail and --fail-enclosure with it");
        }
        if (drain.isEmpty() && fail.isEmpty() && failEnclosure.isEmpty()) {
            throw new ParameterException(options.spec().commandLine(),
                    "plan: name what fails with --fail and/or --fail-enclosure, or what is drained with --drain");
        }
    }

    @Override
    protected int run(ApiClient api) {
        if (!drain.isEmpty()) return drainPlan(api);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("fail", fail);
        body.put("failEnclosure", failEnclosure);
        JsonNode plan = api.post("/api/v1/plan", body);
        if (options.json()) {
            options.printJson(plan);
            return Exit.OK;
        }
        options.out().println("failing: " + Views.str(plan, "failing").replace(",", ", "));
        // In the order they would start (ordered boot: a profile's workload waits for those it starts after).
        Table t = new Table("START", "PROFILE", "FROM", "", "TO", "AFTER", "REASON");
        for (JsonNode e : plan.path("entries")) {
            JsonNode to = e.get("to");
            JsonNode wave = e.get("wave");
            boolean lands = to != null && !to.isNull();
            t.row(wave == null || wave.isNull() ? (lands ? "waits" : "-") : wave.asText(), Views.str(e, "profile"), Views.str(e, "from"), "->",
                    lands ? to.asText() : "stays down", e.path("waitsFor").isEmpty() ? "-" : Views.str(e, "waitsFor").replace(",", ", "),
                    Views.str(e, "reason"));
        }
        if (t.isEmpty()) options.out().println("no profile is affected");
        else t.print(options.out());
        options.out().flush();
        return Exit.OK;
    }

    private int drainPlan(ApiClient api) {
        JsonNode plan = api.post("/api/v1/plan", Map.of("drain", drain));
        if (options.json()) {
            options.printJson(plan);
            return Exit.OK;
        }
        options.out().println("draining: " + Views.str(plan, "servers").replace(",", ", "));
        Table t = new Table("PROFILE", "FROM", "", "TO", "REASON");
        for (JsonNode m : plan.path("moves")) {
            JsonNode to = m.get("to");
            boolean nowhere = to == null || to.isNull();
            t.row(Views.str(m, "profile"), Views.str(m, "from"), "->", nowhere ? "nowhere" : to.asText(), nowhere ? Views.str(m, "why") : "planned move");
        }
        if (t.isEmpty()) options.out().println("no profile runs there: the drain would only keep new ones away");
        else t.print(options.out());
        if (!plan.path("nowhere").isEmpty()) {
            options.out().println("'understudy drain' would refuse (" + plan.path("nowhere").size()
                    + " profile(s) with nowhere to go) unless --force, which leaves them where they are");
        }
        options.out().flush();
        return Exit.OK;
    }
}
