package io.understudy.cli.commands;

import java.io.PrintWriter;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.IParameterExceptionHandler;

/** Every client command, for the {@code understudy} Main to register as subcommands. */
public final class ClientCommands {
    private ClientCommands() {}

    /** Every top-level client command, in the order help lists them; picocli's addSubcommand takes a class too. */
    public static List<Class<?>> classes() {
        return List.of(ServersCommand.class, GroupsCommand.class, ProfilesCommand.class, JobsCommand.class, JobCommand.class,
                FailoverCommand.class, FallbackCommand.class, RePairCommand.class, MoveCommand.class, DrainCommand.Drain.class, DrainCommand.Undrain.class, LockCommand.class, UnlockCommand.class, AlarmsCommand.class,
                MaintenanceCommand.class, PlanCommand.class, DecisionsCommand.class, SimCommand.class, ConfigCommand.class,
                ClusterCommand.class, DataCommand.Backup.class, DataCommand.Sync.class, HooksCommand.class);
    }

    /** Fresh instances of every top-level client command; register each with {@code addSubcommand}. */
    public static List<Object> all() {
        return classes().stream().map(ClientCommands::create).toList();
    }

    private static Object create(Class<?> type) {
        try {
            return type.getDeclaredConstructor().newInstance();
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot create command " + type.getName(), e);
        }
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
