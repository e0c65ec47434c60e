package io.understudy.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** A call builds only the command it names; anything else (help, a typo) still sees every command. */
class MainCommandsTest {
    final FakeApi api = FakeApi.start();

    @AfterEach
    void stop() {
        api.close();
    }

    @Test
    void namedCommand_onlyThatCommandIsBuilt() {
        assertThat(Main.commandLineFor("servers", "-o", "json").getSubcommands()).containsOnlyKeys("servers");
        assertThat(Main.commandLineFor("sim", "fail", "dl-1").getSubcommands().get("sim").getSubcommands())
                .containsKeys("fail", "repair", "servers");
    }

    @Test
    void configCommand_keepsItsCheckSubcommand() {
        CommandLine config = Main.commandLineFor("config", "check", "dc.yaml").getSubcommands().get("config");
        assertThat(config.getSubcommands()).containsKeys("check", "apply");
    }

    @Test
    void noCommandNamed_everyCommandIsBuilt() {
        var every = Main.commandLine().getSubcommands().keySet();
        assertThat(Main.commandLineFor().getSubcommands().keySet()).isEqualTo(every);
        assertThat(Main.commandLineFor("--help").getSubcommands().keySet()).isEqualTo(every);
        assertThat(Main.commandLineFor("serverz").getSubcommands().keySet()).isEqualTo(every);
    }

    @Test
    void namedCommand_answersAsTheWholeTreeDoes() {
        api.on("GET", "/api/v1/servers", 200, "[{'id':'bl-1','location':'enc1/bay1','group':'g1','role':'regular',"
                + "'state':'running','profile':'db-1','model':'BL460c','simulated':[]}]");
        String[] args = api.args("servers");
        String[] alone = run(Main.commandLineFor(args), args);
        assertThat(alone[0]).as("exit code").isEqualTo("0");
        assertThat(alone[1]).contains("bl-1", "enc1/bay1", "db-1");
        assertThat(alone).isEqualTo(run(Main.commandLine(), args));
    }

    @Test
    void typo_stillSuggestsFromEveryCommand() {
        String[] typo = run(Main.commandLineFor("serverz"), "serverz");
        assertThat(typo[0]).isEqualTo("2");
        assertThat(typo[2]).contains("Did you mean", "understudy servers");
    }

    /** Exit code, stdout, stderr. */
    private static String[] run(CommandLine cl, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        int code = cl.execute(args);
        return new String[] {Integer.toString(code), out.toString(), err.toString()};
    }
}
