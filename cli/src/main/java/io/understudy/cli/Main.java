package io.understudy.cli;

import io.understudy.cli.launch.AgentCommand;
import io.understudy.cli.launch.BmcCommand;
import io.understudy.cli.launch.ConfigCheckCommand;
import io.understudy.cli.launch.LockstepMemberCommand;
import io.understudy.cli.launch.DemoCommand;
import io.understudy.cli.launch.ServerCommand;
import io.understudy.cli.launch.SimDcCommand;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code understudy} command: server, demo, and the client commands that talk to a running server. */
@Command(name = "understudy", mixinStandardHelpOptions = true, version = "understudy 0.1.0",
        description = "Server redundancy manager: detect, fence, fail over to a spare, fall back.")
public final class Main {
    private static final List<Class<?>> COMMANDS = commands();

    /** Every command, as {@code understudy --help} lists them. */
    public static CommandLine commandLine() {
        return commandLine(type -> true);
    }

    /**
     * The commands one call needs: only the top-level command that {@code args} names, or every command when they name
     * none (help, a typo with its suggestions). Building every command's model was a large share of a client call's
     * start (BENCHMARKS.md, issue 12).
     */
    public static CommandLine commandLineFor(String... args) {
        String first = args.length == 0 ? "" : args[0];
        boolean named = COMMANDS.stream().anyMatch(type -> names(type).contains(first));
        return commandLine(type -> !named || names(type).contains(first));
    }

    private static CommandLine commandLine(Predicate<Class<?>> wanted) {
        CommandLine cl = new CommandLine(new Main());
        for (Class<?> type : COMMANDS) if (wanted.test(type)) cl.addSubcommand(type);
        CommandLine config = cl.getSubcommands().get("config");
        if (config == null && wanted.test(ConfigGroup.class)) {
            config = new CommandLine(new ConfigGroup());
            cl.addSubcommand("config", config);
        }
        if (config != null) config.addSubcommand(new ConfigCheckCommand());
        // Every command answers --help with its usage (exit 0), before any required option is checked.
        withHelp(cl);
        // Installed last so every subcommand, config check included, answers a usage error in one line.
        cl.setParameterExceptionHandler(io.understudy.cli.commands.ClientCommands.usageErrors());
        cl.setExecutionExceptionHandler(Main::failure);
        return cl;
    }

    private static List<Class<?>> commands() {
        List<Class<?>> all = new ArrayList<>(List.of(ServerCommand.class, DemoCommand.class, SimDcCommand.class,
                AgentCommand.class, BmcCommand.class, LockstepMemberCommand.class));
        all.addAll(io.understudy.cli.commands.ClientCommands.classes());
        return List.copyOf(all);
    }

    /** A command's name and aliases, read from its annotation without building its model. */
    private static List<String> names(Class<?> type) {
        Command c = type.getAnnotation(Command.class);
        List<String> names = new ArrayList<>(List.of(c.aliases()));
        names.add(c.name());
        return names;
    }

    private static void withHelp(CommandLine cl) {
        var spec = cl.getCommandSpec();
        boolean has = spec.options().stream().anyMatch(o -> o.usageHelp());
        if (!has) spec.addOption(CommandLine.Model.OptionSpec.builder("-h", "--help").usageHelp(true)
                .description("Show this help and exit.").build());
        cl.getSubcommands().values().forEach(Main::withHelp);
    }

    /**
     * What a command threw, as one {@code error:} line (exit 1) instead of a stack trace; the cause is added when it
     * says more. {@code UNDERSTUDY_DEBUG=1} prints the stack trace too.
     */
    private static int failure(Exception e, CommandLine cmd, CommandLine.ParseResult parsed) {
        var err = cmd.getErr();
        err.println("error: " + oneLine(e));
        if ("1".equals(System.getenv("UNDERSTUDY_DEBUG"))) e.printStackTrace(err);
        err.flush();
        return 1;
    }

    static String oneLine(Throwable e) {
        String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        Throwable c = e.getCause();
        if (c != null && c.getMessage() != null && !m.contains(c.getMessage())) m += " (" + c.getMessage() + ")";
        return m;
    }

    public static void main(String[] args) {
        // gRPC (inside Ratis) logs through java.util.logging; keep its INFO chatter off the operator's terminal.
        java.util.logging.Logger.getLogger("").setLevel(java.util.logging.Level.WARNING);
        System.exit(commandLineFor(args).execute(args));
    }

    @Command(name = "config", description = "Check or apply data-center files.")
    static final class ConfigGroup {}
}
