package io.understudy.cli.commands;

import io.understudy.cli.client.ApiClient;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code understudy lock PROFILE --to SERVER}: pin a profile to one server so no failover or fallback moves it. */
@Command(name = "lock", description = "Lock a profile to a server (admin).")
public class LockCommand extends ClientCommand {
    @Parameters(index = "0", paramLabel = "PROFILE", description = "Profile id.")
    String profile;

    @Option(names = "--to", required = true, paramLabel = "SERVER", description = "Server the profile is locked to.")
    String server;

    @Override
    protected int run(ApiClient api) {
        var answer = api.post("/api/v1/profiles/" + ApiClient.segment(profile) + "/lock", Map.of("server", server));
        options.printMessage(answer, "profile " + profile + " locked to " + server);
        return Exit.OK;
    }
}
