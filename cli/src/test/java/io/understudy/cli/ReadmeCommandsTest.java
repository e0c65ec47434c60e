package io.understudy.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Every command line the README and docs/ show parses: a user pasting one gets what it says, not "Unknown option". */
class ReadmeCommandsTest {

    /** The {@code ./understudy …} lines of the indented code blocks, continuation lines joined, one per command. */
    static List<String> commands(Path markdown) throws IOException {
        List<String> out = new ArrayList<>();
        StringBuilder pending = null;
        for (String line : Files.readAllLines(markdown)) {
            String code = line.startsWith("    ") ? line.strip() : null;
            if (pending != null) {
                if (code == null) {
                    pending = null;
                    continue;
                }
                pending.append(' ').append(code);
            } else if (code != null && code.startsWith("./understudy ")) {
                pending = new StringBuilder(code);
            } else {
                continue;
            }
            if (pending.toString().endsWith("\\")) {
                pending.setLength(pending.length() - 1);
                continue;
            }
            for (String one : pending.toString().split(" ; ")) out.add(one.replaceAll("\\s+#.*$", "").strip());
            pending = null;
        }
        return out;
    }

    /** The words after {@code ./understudy}; optional parts shown in [brackets] are taken as given. */
    static String[] words(String command) {
        String bare = command.substring("./understudy ".length()).replace("[", "").replace("]", "");
        return Arrays.stream(bare.split("\\s+")).filter(w -> !w.isEmpty()).toArray(String[]::new);
    }

    /** Found by a user: the README showed {@code ./understudy --url … cluster status}, which exits 2 ("Unknown options"). */
    @Test
    void urlBeforeTheCommandInTheReadmeWasRefused() throws IOException {
        Path root = Path.of("..").toAbsolutePath().normalize();
        List<Path> docs = new ArrayList<>(List.of(root.resolve("README.md")));
        try (var s = Files.list(root.resolve("docs"))) {
            s.filter(p -> p.toString().endsWith(".md")).forEach(docs::add);
        }
        List<String> all = new ArrayList<>();
        for (Path d : docs) all.addAll(commands(d));
        assertThat(all).as("commands found in the README").hasSizeGreaterThan(15)
                .anySatisfy(c -> assertThat(c).startsWith("./understudy cluster status --url"));
        for (String c : all) {
            assertThatCode(() -> Main.commandLine().parseArgs(words(c))).as(c).doesNotThrowAnyException();
        }
    }
}
