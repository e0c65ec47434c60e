package io.understudy.cli.commands;

import com.fasterxml.jackson.databind.JsonNode;
import io.understudy.cli.client.ApiClient;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code understudy drain|undrain SERVER|ENCLOSURE...}: planned maintenance of whole servers or enclosures. */
public abstract class DrainCommand extends ClientCommand {
    @Parameters(arity = "1..*", paramLabel = "SERVER|ENCLOSURE",
            description = "Servers (id, enclosure/bay, hostname or address) or enclosures (enc1).")
    List<String> names;

    @Option(names = "--wait", description = "Follow every move job until it ends; exit 0 if all succeeded, 1 if any failed.")
    boolean await;

    @Mixin
    WaitOptions waiting;

    abstract String path();

    Map<String, Object> extra() {
        return Map.of();
    }

    @Override
    protected int run(ApiClient api) throws InterruptedException {
        // Servers and enclosures alike: the control plane takes a name that is no server's as an enclosure's.
        Map<String, Object> body = new LinkedHashMap<>(extra());
        body.put("servers", names);
        JsonNode answer = api.post("/api/v1/" + path(), body);
        if (options.json() && !await) {
            options.printJson(answer);
            return Exit.OK;
        }
        if (!options.json()) {
            options.out().println(answer.path("message").asText());
            for (JsonNode m : answer.path("moves")) {
                options.out().println("  " + m.path("profile").asText() + ": " + m.path("from").asText() + " -> " + m.path("to").asText()
                        + " (move job " + m.path("job").asLong() + ")");
            }
            answer.path("left").fields().forEachRemaining(e -> options.out().println("  " + e.getKey() + " left: " + e.getValue().asText()));
            options.out().flush();
        }
        if (!await) return Exit.OK;
        int worst = Exit.OK;
        for (JsonNode m : answer.path("moves")) {
            int r = new JobFollower(api, options, waiting.pollInterval, waiting.timeout).follow(m.path("job").asLong());
            worst = Math.max(worst, r);
        }
        return worst;
    }

    /** {@code understudy drain}. */
    @Command(name = "drain", description = "Move every profile off servers or enclosures (planned moves, best priority first, each to its "
            + "free home or the smallest qualified spare) and keep anything from landing there (admin). Refused, with nothing changed, "
            + "if a profile would have nowhere to go, unless --force.")
    public static class Drain extends DrainCommand {
        @Option(names = "--force", description = "Move what can be moved and leave the profiles that have nowhere to go where they are.")
        boolean force;

        @Override
        String path() {
            return "drain";
        }

        @Override
        Map<String, Object> extra() {
            return Map.of("force", force);
        }
    }

    /** {@code understudy undrain}. */
    @Command(name = "undrain", description = "Put drained servers or enclosures back in service (admin); profiles a drain moved away "
            + "go home if their fallback is automatic.")
    public static class Undrain extends DrainCommand {
        @Override
        String path() {
            return "undrain";
        }
    }
}
