package io.understudy.cli.commands;

import java.io.PrintWriter;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.IParameterExceptionHandler;

/** Every client command, for the {@code understudy} Main to register as subcommands. */
public final class ClientCommands {
    private ClientCommands() {}

    /** Fresh instances of every top-level client command; register each with {@code addSubcommand}. */
    public static List<Object> all() {
        return List.of(new ServersCommand(), new GroupsCommand(), new ProfilesCommand(), new JobsCommand(), new JobCommand(),
                new FailoverCommand(), new FallbackCommand(), new LockCommand(), new UnlockCommand(), new AlarmsCommand(),
                new MaintenanceCommand(), new PlanCommand(), new DecisionsCommand(), new SimCommand(), new ConfigCommand(),
                new ClusterCommand(), new DataCommand.Backup(), new DataCommand.Sync(), new HooksCommand());
    }

    /** Adds every client command to {@code root} and makes usage errors one {@code error:} line (exit 2). */
    public static CommandLine register(CommandLine root) {
        for (Object c : all()) root.addSubcommand(c);
        root.setParameterExceptionHandler(usageErrors());
        return root;
    }

    /**
     * Prints a usage error as {@code error: <message>} plus a hint where to find help, instead of picocli's full usage
     * text, so every failure of the CLI reads the same way.
     */
    public static IParameterExceptionHandler usageErrors() {
        return (ex, args) -> {
            CommandLine cmd = ex.getCommandLine();
            PrintWriter err = cmd.getErr();
            err.println("error: " + ex.getMessage());
            CommandLine.UnmatchedArgumentException.printSuggestions(ex, err);
            err.println("see '" + cmd.getCommandSpec().qualifiedName() + " --help'");
            err.flush();
            return cmd.getCommandSpec().exitCodeOnInvalidInput();
        };
    }
}
