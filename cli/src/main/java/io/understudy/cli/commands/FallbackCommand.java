package io.understudy.cli.commands;

import picocli.CommandLine.Command;

/** {@code understudy fallback PROFILE}: move a profile back to its repaired home server. */
@Command(name = "fallback", description = "Move a profile back to its home server (admin).")
public class FallbackCommand extends ProfileJobCommand {
    @Override
    String action() {
        return "fallback";
    }
}
