package io.understudy.cli.commands;

import io.understudy.cli.client.ApiClient;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code understudy fallback PROFILE}: move a profile back to its repaired home server. */
@Command(name = "fallback", description = "Move a profile back to its home server (admin).")
public class FallbackCommand extends ClientCommand {
    @Parameters(index = "0", paramLabel = "PROFILE", description = "Profile id.")
    String profile;

    @Option(names = "--wait", description = "Follow the job until it ends; exit 0 if it succeeded, 1 if it failed.")
    boolean await;

    @Mixin
    WaitOptions waiting;

    @Override
    protected int run(ApiClient api) throws InterruptedException {
        var answer = api.post("/api/v1/profiles/" + ApiClient.segment(profile) + "/fallback", null);
        return JobStart.report(api, options, waiting, "fallback", answer, await);
    }
}
