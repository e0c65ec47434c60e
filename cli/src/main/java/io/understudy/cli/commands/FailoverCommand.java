package io.understudy.cli.commands;

import com.fasterxml.jackson.databind.JsonNode;
import io.understudy.cli.client.ApiClient;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code understudy failover}: move a server's profile to a spare now, the source named by id, location, host or IP. */
@Command(name = "failover",
        description = "Fail a server over to a spare now (admin). Name the server by exactly one of --server, --location, --host, --ip.")
public class FailoverCommand extends ClientCommand {
    @ArgGroup(exclusive = true, multiplicity = "1")
    Selector selector;

    /** Exactly one way to name the source server, as VCEM accepts enclosure+bay, hostname or IP. */
    static class Selector {
        @Option(names = "--server", paramLabel = "ID", description = "Server id.")
        String server;
        @Option(names = "--location", paramLabel = "ENC/BAY", description = "Enclosure and bay, e.g. enc1/bay3.")
        String location;
        @Option(names = "--host", paramLabel = "NAME", description = "Host name.")
        String host;
        @Option(names = "--ip", paramLabel = "ADDR", description = "IP address.")
        String ip;
    }

    @Option(names = "--wait", description = "Follow the job until it ends; exit 0 if it succeeded, 1 if it failed.")
    boolean await;

    @Mixin
    WaitOptions waiting;

    @Override
    protected int run(ApiClient api) throws InterruptedException {
        Map<String, String> body = new LinkedHashMap<>();
        if (selector.server != null) body.put("server", selector.server);
        if (selector.location != null) body.put("location", selector.location);
        if (selector.host != null) body.put("host", selector.host);
        if (selector.ip != null) body.put("ip", selector.ip);
        JsonNode answer = api.post("/api/v1/failover", body);
        return JobStart.report(api, options, waiting, "failover", answer, await);
    }
}
