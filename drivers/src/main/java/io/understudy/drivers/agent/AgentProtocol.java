package io.understudy.drivers.agent;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.understudy.drivers.DataDriver;
import io.understudy.model.config.ProfileSpec;
import java.io.IOException;
import java.time.Duration;

/**
 * The wire between the control plane and the agents: JSON over HTTP, every message signed with the agent's secret
 * ({@link Signer}). Agents post heartbeats and hardware events to every control-plane node; the leader posts orders to
 * an agent. An order carries the Raft term (an agent refuses an older term than one it has obeyed), the job and step
 * (so a repeated order after a leader change is recognised), and a nonce with its send time (a replayed order is
 * dropped).
 */
public final class AgentProtocol {
    private AgentProtocol() {}

    public static final String SIGNATURE_HEADER = "X-Understudy-Signature";
    /** Control-plane paths the agents post to. */
    public static final String HEARTBEAT_PATH = "/api/v1/agent/heartbeat";
    public static final String EVENT_PATH = "/api/v1/agent/event";
    /** Orders older than this (by the agent's clock) or repeated within it are refused. */
    public static final Duration ORDER_WINDOW = Duration.ofSeconds(30);

    /** The order paths under {@code endpoint/v1/agents/SERVER/}. */
    public enum Action {
        ASSIGN("identity/assign"), RELEASE("identity/release"), HOLDS("identity/holds"),
        START("workload/start"), STOP("workload/stop"), MONITOR("workload/monitor"),
        BACKUP("data/backup"), BACKUPS("data/backups"), COPY("data/copy"), RESTORE("data/restore");

        public final String path;

        Action(String path) {
            this.path = path;
        }
    }

    public static String orderPath(String server, Action action) {
        return "/v1/agents/" + server + "/" + action.path;
    }

    public static final ObjectMapper JSON = new ObjectMapper()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    /** An order from the leader; {@code sentAt} is epoch milliseconds by the sender's clock. */
    public record Order(String server, long term, Long job, String step, ProfileSpec profile, String nonce, long sentAt,
                        Transfer transfer) {
        public Order(String server, long term, Long job, String step, ProfileSpec profile, String nonce, long sentAt) {
            this(server, term, job, step, profile, nonce, sentAt, null);
        }
    }

    /**
     * What a {@link Action#COPY} order tells the target: fetch {@code backup} from the source agent's
     * {@link #backupPath} with {@code ticket}, which the control plane made with the <em>source's</em> secret
     * ({@link Signer#ticket}), so the source serves it to whoever holds the ticket until {@code expires} (epoch ms)
     * and to nobody else.
     */
    public record Transfer(String source, String sourceEndpoint, DataDriver.BackupInfo backup, long expires,
                           String ticket, boolean reload) {}

    /** Where a source agent serves a backup file: GET, with {@code ?expires=E&ticket=T}. */
    public static String backupPath(String server, String profile, String name) {
        return "/v1/agents/" + server + "/data/" + profile + "/" + name;
    }

    /** How long a copy's ticket is good for. */
    public static final Duration TICKET_LIFETIME = Duration.ofMinutes(10);

    /**
     * An agent's answer to an order.
     *
     * @param error  null on success, else a {@link io.understudy.drivers.DriverException.Kind} name
     * @param holds  for {@link Action#HOLDS}
     * @param status for {@link Action#MONITOR}: a {@link io.understudy.drivers.WorkloadDriver.Status} name
     */
    public record Answer(String error, String message, Boolean holds, String status, DataDriver.BackupInfo backup,
                         DataDriver.Backups backups) {
        public Answer(String error, String message, Boolean holds, String status) {
            this(error, message, holds, status, null, null);
        }

        public static Answer ok(String message) {
            return new Answer(null, message, null, null);
        }
    }

    /** What a server is, as its agent reports it with each heartbeat. */
    public record Inventory(String model, int cores, int memoryGib, String health) {}

    /**
     * A heartbeat. {@code boot} identifies one run of the agent (its start time in epoch ms) and {@code seq} counts
     * its messages, so a node accepts each message once and never an older one again.
     */
    public record Heartbeat(String server, long boot, long seq, Inventory inventory, java.util.List<String> addresses) {
        public Heartbeat(String server, long boot, long seq, Inventory inventory) {
            this(server, boot, seq, inventory, null);
        }
    }

    /**
     * A node's answer to a heartbeat that it accepted: the group's self-fence timeout (null: off) and the profiles the
     * control plane has on this server, so an agent cut off from the majority knows what to stop and drop.
     */
    public record HeartbeatReply(Long selfFenceAfterMs, java.util.List<ProfileSpec> profiles) {}

    /** A hardware event seen by the server itself (e.g. "uncorrectable memory error"): the server has failed. */
    public record HardwareReport(String server, long boot, long seq, String text) {}

    public static byte[] bytes(Object o) {
        try {
            return JSON.writeValueAsBytes(o);
        } catch (IOException e) {
            throw new IllegalStateException("cannot encode " + o.getClass().getSimpleName(), e);
        }
    }

    public static <T> T read(byte[] b, Class<T> type) throws IOException {
        return JSON.readValue(b, type);
    }
}
