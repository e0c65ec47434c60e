package io.understudy.cli.launch;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.understudy.cli.Main;
import io.understudy.state.Json;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import picocli.CommandLine;

/** The files a new user starts from pass {@code config check}; a typo is named with its line and the key meant. */
class ConfigCheckCommandTest {
    static final Path ROOT = Path.of("..").toAbsolutePath().normalize();

    record Run(int code, String out, String err) {}

    static Run run(String... args) {
        CommandLine cl = Main.commandLine();
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        int code = cl.execute(args);
        return new Run(code, out.toString(), err.toString());
    }

    static Stream<Path> examples() throws Exception {
        return Files.list(ROOT.resolve("examples")).filter(p -> p.toString().endsWith(".yaml")).sorted();
    }

    @ParameterizedTest
    @MethodSource("examples")
    void everyExamplePassesConfigCheck(Path example) {
        Run r = run("config", "check", example.toString());
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).contains(": ok (");
    }

    /** Found in the first hour: the README's sample configuration failed config check ("unknown server 'bl-s1'"). */
    @Test
    void readmeSampleFailedConfigCheck(@TempDir Path dir) throws Exception {
        String readme = Files.readString(ROOT.resolve("README.md"));
        int at = readme.indexOf("## Configuration reference");
        int start = readme.indexOf("```yaml\n", at) + "```yaml\n".length();
        String yaml = readme.substring(start, readme.indexOf("```", start));
        Path file = Files.writeString(dir.resolve("readme.yaml"), yaml);
        Run r = run("config", "check", file.toString());
        assertThat(r.code()).as(r.err()).isZero();
    }

    @Test
    void bootOrderCycle_isRefusedWithItsPath(@TempDir Path dir) throws Exception {
        String readme = Files.readString(ROOT.resolve("README.md"));
        int at = readme.indexOf("## Configuration reference");
        int start = readme.indexOf("```yaml\n", at) + "```yaml\n".length();
        String yaml = readme.substring(start, readme.indexOf("```", start))
                .replace("    priority: 1                  # lower wins a spare first\n", "    priority: 1\n    after: [app-1]\n");
        Path file = Files.writeString(dir.resolve("cycle.yaml"), yaml);
        Run r = run("config", "check", file.toString());
        assertThat(r.code()).isNotZero();
        assertThat(r.err()).contains("profiles[0].after: boot order cycle: db-1 -> app-1 -> db-1");
    }

    /** Found in the first hour: memoryGiB gave "servers[0].memoryGib: Cannot map `null` into type `int` (set …)". */
    @Test
    void typoInAKeyNamedTheFieldItLeftUnset(@TempDir Path dir) throws Exception {
        String yaml = Files.readString(ROOT.resolve("examples/preloaded-pair.yaml")).replaceFirst("memoryGib: 64", "memoryGiB: 64");
        Path file = Files.writeString(dir.resolve("typo.yaml"), yaml);
        int line = 1 + (int) yaml.substring(0, yaml.indexOf("memoryGiB")).chars().filter(c -> c == '\n').count();
        Run r = run("config", "check", file.toString());
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("servers[0].memoryGiB: unknown key 'memoryGiB' at line " + line + " (did you mean memoryGib?)")
                .contains("valid keys: address, agent, bmc, cores, generation, hostname, id, location, memoryGib, model")
                .doesNotContain("Cannot map");
    }

    /**
     * Found by the fault campaign's cold group: an FC port without {@code bootFromSan} (optional: not the boot path)
     * was refused with "fcPorts[0].bootFromSan: Cannot map `null` into type `boolean` (set DeserializationConfig…)".
     */
    @Test
    void fcPortWithoutBootFromSanWasRefusedInJacksonsWords(@TempDir Path dir) throws Exception {
        String yaml = Files.readString(ROOT.resolve("examples/demo.yaml"));
        int at = yaml.indexOf("      bootFromSan: true\n");
        assertThat(at).isPositive();
        Path file = Files.writeString(dir.resolve("no-boot.yaml"), yaml.substring(0, at) + yaml.substring(at + "      bootFromSan: true\n".length()));
        Run r = run("config", "check", file.toString());
        assertThat(r.code()).as(r.err()).isZero();
    }

    /** The same Jackson words for a required number left out: the field is named with what it expects. */
    @Test
    void requiredNumberLeftOutIsNamedWithWhatItExpects(@TempDir Path dir) throws Exception {
        String yaml = Files.readString(ROOT.resolve("examples/preloaded-pair.yaml")).replaceFirst("\n\\s*cores: \\d+", "");
        Path file = Files.writeString(dir.resolve("no-cores.yaml"), yaml);
        Run r = run("config", "check", file.toString());
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("servers[0].cores: missing: expected a whole number").doesNotContain("Cannot map");
    }

    /** The lockstep example passes; without its pairPort, the field is named. */
    @Test
    void lockstepPairExample_passes_andWithoutItsPairPort_isRefusedAtTheField(@TempDir Path dir) throws Exception {
        Run ok = run("config", "check", ROOT.resolve("examples/lockstep-pair.yaml").toString());
        assertThat(ok.code()).as(ok.err() + ok.out()).isZero();
        Path bad = Files.writeString(dir.resolve("bad.yaml"),
                Files.readString(ROOT.resolve("examples/lockstep-pair.yaml")).replaceFirst("\n\\s*pairPort: 7811", ""));
        Run no = run("config", "check", bad.toString());
        assertThat(no.code()).isEqualTo(2);
        assertThat(no.out() + no.err()).contains("profiles[0].pairPort").contains("needs the port its pair's members answer on");
    }

    /** Found in the first hour: config check refused -o json although every command takes it. */
    @Test
    void configCheckRefusedOutputJson(@TempDir Path dir) throws Exception {
        Run ok = run("config", "check", ROOT.resolve("examples/preloaded-pair.yaml").toString(), "-o", "json");
        assertThat(ok.code()).as(ok.err()).isZero();
        JsonNode n = Json.MAPPER.readTree(ok.out());
        assertThat(n.get("ok").asBoolean()).isTrue();
        assertThat(n.get("servers").asInt()).isEqualTo(2);

        Path bad = Files.writeString(dir.resolve("bad.yaml"), "name: x\nenclosures: []\nservers: []\ngroups: []\nprofiles: []\nbogus: 1\n");
        Run no = run("config", "check", bad.toString(), "-o", "json");
        assertThat(no.code()).isEqualTo(2);
        JsonNode e = Json.MAPPER.readTree(no.out());
        assertThat(e.get("ok").asBoolean()).isFalse();
        assertThat(e.get("errors").get(0).get("field").asText()).isEqualTo("bogus");
        assertThat(e.get("errors").get(0).get("message").asText()).contains("unknown key 'bogus' at line 6");
    }
}
