package io.understudy.cli.commands;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.databind.JsonNode;
import io.understudy.cli.client.ApiClient;
import io.understudy.cli.client.ClientConfig;
import io.understudy.state.Json;
import java.io.PrintWriter;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** The options every client command shares: where the server is, the token, and the output format. */
public class ClientOptions {
    /** How results are printed. */
    public enum Output { text, json }

    @Spec(Spec.Target.MIXEE)
    CommandSpec spec;

    @Option(names = "--url", paramLabel = "URL[,URL...]",
            description = "Server URL(s), comma-separated for several nodes. Default: $UNDERSTUDY_URL, then the client file that `understudy demo` writes.")
    String url;

    @Option(names = "--token", paramLabel = "TOKEN",
            description = "Bearer token. Default: $UNDERSTUDY_TOKEN, then the client file that `understudy demo` writes.")
    String token;

    @Option(names = {"-o", "--output"}, paramLabel = "FORMAT", defaultValue = "text",
            description = "Output format: ${COMPLETION-CANDIDATES} (json prints the API's answer).")
    Output output;

    // Only -h: the standard mixin's -V makes no sense on a subcommand.
    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help and exit.")
    boolean help;

    private ApiClient client;

    /** Resolves the config on first use, so --help and usage errors never need a server. */
    public ApiClient client() {
        if (client == null) client = ClientConfig.load(url, token).client();
        return client;
    }

    public boolean json() {
        return output == Output.json;
    }

    public CommandSpec spec() {
        return spec;
    }

    public PrintWriter out() {
        return spec.commandLine().getOut();
    }

    public PrintWriter err() {
        return spec.commandLine().getErr();
    }

    public void printJson(JsonNode node) {
        if (node == null || node.isMissingNode()) return;
        try {
            // Arrays one element per line, as jq prints them, rather than Jackson's "[ {" default.
            var printer = new DefaultPrettyPrinter().withArrayIndenter(DefaultIndenter.SYSTEM_LINEFEED_INSTANCE);
            out().println(Json.MAPPER.writer(printer).writeValueAsString(node));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        out().flush();
    }

    /** Prints the server's {@code message} in text mode, the whole answer in json mode. */
    public void printMessage(JsonNode answer, String fallback) {
        if (json()) {
            printJson(answer);
        } else {
            String m = answer == null ? null : answer.path("message").asText(null);
            out().println(m == null || m.isBlank() ? fallback : m);
            out().flush();
        }
    }
}
