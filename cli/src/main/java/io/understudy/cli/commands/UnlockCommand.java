package io.understudy.cli.commands;

import io.understudy.cli.client.ApiClient;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code understudy unlock PROFILE}: release a lock set with {@code lock}. */
@Command(name = "unlock", description = "Unlock a profile (admin).")
public class UnlockCommand extends ClientCommand {
    @Parameters(index = "0", paramLabel = "PROFILE", description = "Profile id.")
    String profile;

    @Override
    protected int run(ApiClient api) {
        var answer = api.post("/api/v1/profiles/" + ApiClient.segment(profile) + "/unlock", null);
        options.printMessage(answer, "profile " + profile + " unlocked");
        return Exit.OK;
    }
}
