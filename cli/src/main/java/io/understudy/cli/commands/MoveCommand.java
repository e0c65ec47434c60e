package io.understudy.cli.commands;

import io.understudy.cli.client.ApiClient;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code understudy move PROFILE (--to SERVER | --to-spare)}: a planned move off a healthy server, without a fence. */
@Command(name = "move",
        description = "Move a running profile off its healthy server (admin): its workload stops, its identity is released "
                + "there, then applied on the target and the workload started. Nothing is fenced unless the source does not "
                + "confirm it released the identity. A failure before that starts it on the source again.")
public class MoveCommand extends ClientCommand {
    @Parameters(index = "0", paramLabel = "PROFILE", description = "Profile id.")
    String profile;

    @ArgGroup(exclusive = true, multiplicity = "1")
    Target target;

    /** Where to: a named server of the profile's group, or the best qualified spare. */
    static class Target {
        @Option(names = "--to", paramLabel = "SERVER", description = "Target server: id, enclosure/bay, hostname or address.")
        String to;
        @Option(names = "--to-spare", description = "The smallest qualified spare of the profile's group.")
        boolean toSpare;
    }

    @Option(names = "--wait", description = "Follow the job until it ends; exit 0 if it succeeded, 1 if it failed.")
    boolean await;

    @Mixin
    WaitOptions waiting;

    @Override
    protected int run(ApiClient api) throws InterruptedException {
        Map<String, Object> body = new LinkedHashMap<>();
        if (target.to != null) body.put("to", target.to);
        else body.put("toSpare", true);
        var answer = api.post("/api/v1/profiles/" + ApiClient.segment(profile) + "/move", body);
        return JobStart.report(api, options, waiting, "move", answer, await);
    }
}
