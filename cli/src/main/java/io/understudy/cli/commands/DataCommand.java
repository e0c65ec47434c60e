package io.understudy.cli.commands;

import com.fasterxml.jackson.databind.JsonNode;
import io.understudy.cli.client.ApiClient;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code understudy backup PROFILE} and {@code understudy sync PROFILE}: a profile's data, now. */
public abstract class DataCommand extends ClientCommand {
    @Parameters(index = "0", paramLabel = "PROFILE", description = "Profile id.")
    String profile;

    abstract String action();

    @Override
    protected int run(ApiClient api) {
        JsonNode r = api.post("/api/v1/profiles/" + ApiClient.segment(profile) + "/" + action(), null);
        if (options.json()) {
            options.printJson(r);
        } else {
            java.io.PrintWriter out = options.out();
            JsonNode b = r.path("backup");
            if (b.isMissingNode() || b.isNull()) {
                out.println("profile " + profile + ": no backup kept anywhere yet");
            } else {
                out.println("backup " + b.path("name").asText() + " of " + profile + " (" + b.path("size").asLong()
                        + " bytes, sha256 " + b.path("sha256").asText().substring(0, Math.min(12, b.path("sha256").asText().length()))
                        + "…) on " + r.path("source").asText());
            }
            if (r.path("copiedTo").size() > 0) out.println("copied to " + join(r.path("copiedTo")));
            if (r.path("upToDate").size() > 0) out.println("already there: " + join(r.path("upToDate")));
            r.path("failed").fields().forEachRemaining(f -> out.println("FAILED on " + f.getKey() + ": " + f.getValue().asText()));
            out.flush();
        }
        return r.path("failed").size() > 0 ? Exit.FAILED : Exit.OK;
    }

    private static String join(JsonNode list) {
        StringBuilder b = new StringBuilder();
        list.forEach(n -> b.append(b.length() == 0 ? "" : ", ").append(n.asText()));
        return b.toString();
    }

    @Command(name = "backup", description = "Back up a profile's data directory on its current server now, then copy it to the spares (operator).")
    public static final class Backup extends DataCommand {
        @Override
        String action() {
            return "backup";
        }
    }

    @Command(name = "sync", description = "Copy a profile's newest backup to every spare that lacks it, now (operator).")
    public static final class Sync extends DataCommand {
        @Override
        String action() {
            return "sync";
        }
    }
}
