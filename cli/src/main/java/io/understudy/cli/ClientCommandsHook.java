package io.understudy.cli;

import picocli.CommandLine;

/** Registers the client commands (servers, failover, jobs, …) on the top-level command. */
final class ClientCommandsHook {
    private ClientCommandsHook() {}

    static void register(CommandLine cl) {
        for (Object c : io.understudy.cli.commands.ClientCommands.all()) cl.addSubcommand(c);
    }
}
