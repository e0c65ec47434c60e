package io.understudy.cli.commands;

import picocli.CommandLine.Command;

/** {@code understudy re-pair PROFILE}: start a lockstep profile's twin member and sync it in from the primary. */
@Command(name = "re-pair", description = "Sync a lockstep profile's twin in from its primary: start its member, wait until it holds the pair's inputs (admin).")
public class RePairCommand extends ProfileJobCommand {
    @Override
    String action() {
        return "re-pair";
    }
}
