package io.understudy.cli.commands;

import io.understudy.cli.client.ApiClient;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;

/** {@code understudy maintenance GROUP on|off}: stop or resume automatic event handling in a group. */
@Command(name = "maintenance", description = "Put a group in maintenance (on) or take it out (off) (admin).")
public class MaintenanceCommand extends ClientCommand {
    @Parameters(index = "0", paramLabel = "GROUP", description = "Group id.")
    String group;

    // A String, not an enum, so the error can name the argument in the operator's words.
    @Parameters(index = "1", paramLabel = "on|off", description = "on or off.")
    String state;

    @Override
    protected void validate() {
        if (!state.equals("on") && !state.equals("off")) {
            throw new ParameterException(options.spec().commandLine(),
                    "maintenance: invalid value '" + state + "' for on|off: expected on or off");
        }
    }

    @Override
    protected int run(ApiClient api) {
        var answer = api.post("/api/v1/groups/" + ApiClient.segment(group) + "/maintenance", Map.of("on", state.equals("on")));
        options.printMessage(answer, "group " + group + " maintenance " + state);
        return Exit.OK;
    }
}
