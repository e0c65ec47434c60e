package io.understudy.cli.commands;

import com.fasterxml.jackson.databind.JsonNode;
import io.understudy.cli.client.ApiClient;
import io.understudy.cli.client.ApiException;
import java.io.IOException;
import java.nio.charset.MalformedInputException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Locale;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code understudy config apply FILE}: send a data-center file (YAML or JSON) to the server. */
@Command(name = "config", description = "Manage the data-center description.",
        subcommands = {ConfigCommand.Apply.class})
public class ConfigCommand {
    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help and exit.")
    boolean help;

    /** {@code config apply FILE}: the server validates the file and answers with every error it found. */
    @Command(name = "apply", description = "Apply a data-center file, YAML or JSON (admin).")
    public static class Apply extends ClientCommand {
        @Parameters(index = "0", paramLabel = "FILE", description = "Data-center file (.yaml/.yml: YAML, anything else: JSON).")
        Path file;

        @Override
        protected int run(ApiClient api) {
            String text = read(file);
            String name = file.getFileName() == null ? "" : file.getFileName().toString().toLowerCase(Locale.ROOT);
            String type = name.endsWith(".yaml") || name.endsWith(".yml") ? "application/yaml" : "application/json";
            try {
                options.printMessage(api.post("/api/v1/config", text, type), "configuration applied from " + file);
                return Exit.OK;
            } catch (ApiException e) {
                int code = fail(Exit.forStatus(e.status()), e.getMessage());
                printEach(e.body());
                return code;
            }
        }

        /** The server lists every problem it found; one line each, so the operator fixes them in one pass. */
        private void printEach(JsonNode body) {
            if (body == null || !body.path("errors").isArray()) return;
            for (JsonNode err : body.get("errors")) {
                String line = err.isObject() && err.has("message")
                        ? (err.hasNonNull("path") ? err.get("path").asText() + ": " : "") + err.get("message").asText()
                        : err.isTextual() ? err.asText() : err.toString();
                options.err().println("  " + line);
            }
            options.err().flush();
        }

        private static String read(Path file) {
            try {
                return Files.readString(file);
            } catch (NoSuchFileException e) {
                throw new InputException("cannot read " + file + ": no such file");
            } catch (MalformedInputException e) {
                throw new InputException("cannot read " + file + ": not UTF-8 text");
            } catch (IOException e) {
                throw new InputException("cannot read " + file + ": " + e.getMessage());
            }
        }
    }
}
