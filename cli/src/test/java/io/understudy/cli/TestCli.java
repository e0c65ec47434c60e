package io.understudy.cli;

import io.understudy.cli.commands.ClientCommands;
import java.io.PrintWriter;
import java.io.StringWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** Runs client commands the way Main will: as subcommands of an {@code understudy} root, capturing stdout and stderr. */
public final class TestCli {
    private TestCli() {}

    /** What one run printed and returned. */
    public record Result(int code, String out, String err) {}

    @Command(name = "understudy")
    static final class Root {}

    /** Registers with a plain {@code addSubcommand} loop, exactly as Main is told to, with picocli's default error handling. */
    public static Result run(String... args) {
        CommandLine root = new CommandLine(new Root());
        for (Object c : ClientCommands.all()) root.addSubcommand(c);
        return execute(root, args);
    }

    /** Registers through {@link ClientCommands#register}, which also makes usage errors one {@code error:} line. */
    public static Result runRegistered(String... args) {
        return execute(ClientCommands.register(new CommandLine(new Root())), args);
    }

    private static Result execute(CommandLine root, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        root.setOut(new PrintWriter(out, true));
        root.setErr(new PrintWriter(err, true));
        int code = root.execute(args);
        return new Result(code, out.toString(), err.toString());
    }
}
