package io.understudy.cli.commands;

import com.fasterxml.jackson.databind.JsonNode;
import io.understudy.cli.client.ApiClient;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;

/** {@code understudy cluster ...}: the control plane's own Raft group: status, add and remove a node. */
@Command(name = "cluster", description = "The control plane's Raft group: status, add-node, remove-node.",
        subcommands = {ClusterCommand.Status.class, ClusterCommand.AddNode.class, ClusterCommand.RemoveNode.class})
public class ClusterCommand {
    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help and exit.")
    boolean help;

    /** {@code cluster status}: nodes, leader, term, commit index, each node's lag. */
    @Command(name = "status", description = "Nodes, leader, term, commit index and each node's lag.")
    public static class Status extends ClientCommand {
        @Override
        protected int run(ApiClient api) {
            JsonNode st = api.get("/api/v1/cluster");
            if (options.json()) {
                options.printJson(st);
                return Exit.OK;
            }
            options.out().println("node " + Views.str(st, "node") + ", leader " + Views.str(st, "leader") + ", term "
                    + Views.str(st, "term") + ", commit index " + Views.str(st, "commitIndex") + ", applied " + Views.str(st, "appliedIndex"));
            Table t = new Table("NODE", "ADDRESS", "ROLE", "MATCH", "LAG", "LAST CONTACT");
            for (JsonNode m : st.path("members")) {
                long lag = m.path("lag").asLong(-1);
                long contact = m.path("lastContactMs").asLong(-1);
                t.row(Views.str(m, "id"), Views.str(m, "address"), Views.str(m, "role"), Views.str(m, "matchIndex"),
                        lag < 0 ? "?" : String.valueOf(lag), contact < 0 ? "?" : contact + " ms");
            }
            t.print(options.out());
            options.out().flush();
            return Exit.OK;
        }
    }

    /** {@code cluster add-node ID HOST:PORT}. */
    @Command(name = "add-node", description = "Add a node (started with the new group as its peers) through Raft (admin).")
    public static class AddNode extends ClientCommand {
        @Parameters(index = "0", paramLabel = "ID", description = "The new node's id.")
        String id;

        @Parameters(index = "1", paramLabel = "HOST:PORT", description = "The new node's Raft address.")
        String address;

        @Override
        protected void validate() {
            if (!address.matches("[^:\\s]+:\\d{1,5}")) {
                throw new ParameterException(options.spec().commandLine(), "cluster add-node: invalid value '" + address
                        + "' for HOST:PORT: expected a Raft address like 10.0.0.3:8081");
            }
        }

        @Override
        protected int run(ApiClient api) {
            options.printMessage(api.post("/api/v1/cluster/nodes", Map.of("id", id, "address", address)), "node " + id + " added");
            return Exit.OK;
        }
    }

    /** {@code cluster remove-node ID}. */
    @Command(name = "remove-node", description = "Remove a node through Raft; refused if the rest would lose quorum (admin).")
    public static class RemoveNode extends ClientCommand {
        @Parameters(index = "0", paramLabel = "ID", description = "The node's id.")
        String id;

        @Override
        protected int run(ApiClient api) {
            options.printMessage(api.post("/api/v1/cluster/nodes/" + ApiClient.segment(id) + "/remove", null), "node " + id + " removed");
            return Exit.OK;
        }
    }
}
