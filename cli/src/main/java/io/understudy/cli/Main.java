package io.understudy.cli;

import io.understudy.cli.launch.ConfigCheckCommand;
import io.understudy.cli.launch.DemoCommand;
import io.understudy.cli.launch.ServerCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code understudy} command: server, demo, and the client commands that talk to a running server. */
@Command(name = "understudy", mixinStandardHelpOptions = true, version = "understudy 0.1.0",
        description = "Server redundancy manager: detect, fence, fail over to a spare, fall back.")
public final class Main {

    public static CommandLine commandLine() {
        CommandLine cl = new CommandLine(new Main());
        cl.addSubcommand(new ServerCommand());
        cl.addSubcommand(new DemoCommand());
        cl.addSubcommand(new io.understudy.cli.launch.SimDcCommand());
        cl.addSubcommand(new io.understudy.cli.launch.AgentCommand());
        cl.addSubcommand(new io.understudy.cli.launch.BmcCommand());
        ClientCommandsHook.register(cl);
        CommandLine config = cl.getSubcommands().get("config");
        if (config == null) {
            config = new CommandLine(new ConfigGroup());
            cl.addSubcommand("config", config);
        }
        config.addSubcommand(new ConfigCheckCommand());
        // Every command answers --help with its usage (exit 0), before any required option is checked.
        withHelp(cl);
        // Installed last so every subcommand, config check included, answers a usage error in one line.
        cl.setParameterExceptionHandler(io.understudy.cli.commands.ClientCommands.usageErrors());
        cl.setExecutionExceptionHandler(Main::failure);
        return cl;
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
        System.exit(commandLine().execute(args));
    }

    @Command(name = "config", description = "Check or apply data-center files.")
    static final class ConfigGroup {}
}
