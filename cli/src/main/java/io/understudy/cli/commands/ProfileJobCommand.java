package io.understudy.cli.commands;

import io.understudy.cli.client.ApiClient;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** A command that starts one job on a profile ({@code POST /api/v1/profiles/{id}/ACTION}) and reports or follows it. */
abstract class ProfileJobCommand extends ClientCommand {
    @Parameters(index = "0", paramLabel = "PROFILE", description = "Profile id.")
    String profile;

    @Option(names = "--wait", description = "Follow the job until it ends; exit 0 if it succeeded, 1 if it failed.")
    boolean await;

    @Mixin
    WaitOptions waiting;

    /** The job's kind, also the last segment of its path: fallback, re-pair. */
    abstract String action();

    @Override
    protected int run(ApiClient api) throws InterruptedException {
        var answer = api.post("/api/v1/profiles/" + ApiClient.segment(profile) + "/" + action(), null);
        return JobStart.report(api, options, waiting, action(), answer, await);
    }
}
