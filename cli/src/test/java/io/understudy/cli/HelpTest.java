package io.understudy.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import picocli.CommandLine;

/** Every command, however deep, answers --help with its usage and exit 0. */
class HelpTest {

    static Stream<String> commands() {
        List<String> all = new ArrayList<>();
        collect(Main.commandLine(), "", all);
        return all.stream();
    }

    private static void collect(CommandLine cl, String prefix, List<String> out) {
        out.add(prefix.trim());
        cl.getSubcommands().forEach((name, sub) -> {
            if (!sub.getCommandSpec().aliases().equals(new String[0]) && !name.equals(sub.getCommandName())) return;
            collect(sub, prefix + " " + name, out);
        });
    }

    /** Found in the first hour: demo --help said "Unknown option", agent --help "Missing required option". */
    @ParameterizedTest
    @MethodSource("commands")
    void helpOfEveryCommandWasRefused(String command) {
        List<String> args = new ArrayList<>(command.isEmpty() ? List.of() : List.of(command.split(" ")));
        args.add("--help");
        CommandLine cl = Main.commandLine();
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        int code = cl.execute(args.toArray(String[]::new));
        assertThat(code).as(command + " --help: " + err).isZero();
        assertThat(out.toString()).as(command).contains("Usage: understudy");
    }
}
