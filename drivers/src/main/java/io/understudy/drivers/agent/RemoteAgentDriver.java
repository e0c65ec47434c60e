package io.understudy.drivers.agent;

import io.understudy.drivers.CallContext;
import io.understudy.drivers.DataDriver;
import io.understudy.drivers.DriverException;
import io.understudy.drivers.DriverException.Kind;
import io.understudy.drivers.IdentityDriver;
import io.understudy.drivers.WorkloadDriver;
import io.understudy.drivers.agent.AgentProtocol.Action;
import io.understudy.drivers.agent.AgentProtocol.Answer;
import io.understudy.drivers.agent.AgentProtocol.Order;
import io.understudy.model.config.AgentSpec;
import io.understudy.model.config.DataCenterConfig;
import io.understudy.model.config.ProfileSpec;
import io.understudy.model.config.ServerSpec;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Clock;
import java.time.Duration;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * Identity and workload through a server's agent over the network: each call is one signed order, answered by the
 * agent once it has done it. The agent's answer decides the error kind: refused (an older term, a boot-from-SAN
 * port), auth (bad signature), failed; no answer is unreachable or a timeout.
 */
public final class RemoteAgentDriver implements IdentityDriver, WorkloadDriver, DataDriver {
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);
    /** Backups and copies move a whole data directory: they get longer than an identity order. */
    public static final Duration DATA_TIMEOUT = Duration.ofMinutes(10);

    private final Supplier<DataCenterConfig> config;
    private final AgentSecrets secrets;
    private final Clock clock;
    private final Duration timeout;
    private final HttpClient http;

    public RemoteAgentDriver(Supplier<DataCenterConfig> config, AgentSecrets secrets, Clock clock, Duration timeout) {
        this.config = config;
        this.secrets = secrets;
        this.clock = clock;
        this.timeout = timeout;
        this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    }

    @Override
    public void assign(String server, ProfileSpec profile, CallContext ctx) throws DriverException {
        call(server, Action.ASSIGN, profile, ctx);
    }

    @Override
    public void release(String server, ProfileSpec profile, CallContext ctx) throws DriverException {
        call(server, Action.RELEASE, profile, ctx);
    }

    @Override
    public boolean holds(String server, ProfileSpec profile, CallContext ctx) throws DriverException {
        Answer a = call(server, Action.HOLDS, profile, ctx);
        return Boolean.TRUE.equals(a.holds());
    }

    @Override
    public void start(String server, ProfileSpec profile, CallContext ctx) throws DriverException {
        call(server, Action.START, profile, ctx);
    }

    @Override
    public void stop(String server, ProfileSpec profile, CallContext ctx) throws DriverException {
        call(server, Action.STOP, profile, ctx);
    }

    @Override
    public Status monitor(String server, ProfileSpec profile, CallContext ctx) throws DriverException {
        Answer a = call(server, Action.MONITOR, profile, ctx);
        try {
            return Status.valueOf(a.status());
        } catch (RuntimeException e) {
            throw new DriverException(Kind.FAILED, "agent of " + server + " answered an unknown workload status '" + a.status() + "'");
        }
    }

    @Override
    public BackupInfo backup(String server, ProfileSpec profile, CallContext ctx) throws DriverException {
        Answer a = call(server, Action.BACKUP, profile, ctx, null);
        if (a.backup() == null) throw new DriverException(Kind.FAILED, "agent of " + server + " answered a backup without its description");
        return a.backup();
    }

    @Override
    public Backups backups(String server, ProfileSpec profile, CallContext ctx) throws DriverException {
        Answer a = call(server, Action.BACKUPS, profile, ctx, null);
        return a.backups() == null ? new Backups(java.util.List.of(), 0) : a.backups();
    }

    /** The target fetches straight from the source, with a ticket made here with the source's secret. */
    @Override
    public void copy(String source, String target, ProfileSpec profile, BackupInfo backup, boolean reload, CallContext ctx)
            throws DriverException {
        AgentSpec from = agentOf(source);
        long expires = clock.millis() + AgentProtocol.TICKET_LIFETIME.toMillis();
        String ticket = Signer.ticket(secrets.secret(source, from), source, profile.id(), backup.name(), expires);
        call(target, Action.COPY, profile, ctx, new AgentProtocol.Transfer(source, trimSlash(from.endpoint()), backup, expires, ticket, reload));
    }

    @Override
    public java.util.Optional<BackupInfo> restore(String server, ProfileSpec profile, CallContext ctx) throws DriverException {
        return java.util.Optional.ofNullable(call(server, Action.RESTORE, profile, ctx, null).backup());
    }

    private AgentSpec agentOf(String server) throws DriverException {
        ServerSpec spec = config.get().server(server)
                .orElseThrow(() -> new DriverException(Kind.FAILED, "no server '" + server + "' in the configuration"));
        if (spec.agent() == null) throw new DriverException(Kind.FAILED, server + " has no agent endpoint configured");
        return spec.agent();
    }

    private Answer call(String server, Action action, ProfileSpec profile, CallContext ctx) throws DriverException {
        return call(server, action, profile, ctx, null);
    }

    private Answer call(String server, Action action, ProfileSpec profile, CallContext ctx, AgentProtocol.Transfer transfer)
            throws DriverException {
        AgentSpec agent = agentOf(server);
        byte[] body = AgentProtocol.bytes(new Order(server, ctx.term(), ctx.job(), ctx.step(), profile,
                UUID.randomUUID().toString(), clock.millis(), transfer));
        URI uri = URI.create(trimSlash(agent.endpoint()) + AgentProtocol.orderPath(server, action));
        boolean data = action == Action.BACKUP || action == Action.COPY || action == Action.RESTORE;
        Duration timeout = data ? DATA_TIMEOUT : this.timeout;
        HttpRequest request = HttpRequest.newBuilder(uri)
                .timeout(timeout)
                .header("Content-Type", "application/json")
                .header(AgentProtocol.SIGNATURE_HEADER, Signer.sign(secrets.secret(server, agent), body))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                .build();
        String what = "agent of " + server + " (" + agent.endpoint() + ") " + action.path;
        HttpResponse<byte[]> response;
        try {
            response = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
        } catch (HttpTimeoutException e) {
            throw new DriverException(Kind.TIMEOUT, what + ": no answer within " + timeout.toMillis() + " ms");
        } catch (ConnectException e) {
            throw new DriverException(Kind.UNREACHABLE, what + ": connection refused or no route");
        } catch (IOException e) {
            throw new DriverException(Kind.UNREACHABLE, what + ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DriverException(Kind.TIMEOUT, what + ": interrupted");
        }
        Answer answer;
        try {
            answer = AgentProtocol.read(response.body(), Answer.class);
        } catch (IOException e) {
            throw new DriverException(Kind.FAILED, what + ": HTTP " + response.statusCode() + " without a readable answer");
        }
        if (answer.error() != null) {
            Kind kind;
            try {
                kind = Kind.valueOf(answer.error());
            } catch (IllegalArgumentException e) {
                kind = Kind.FAILED;
            }
            throw new DriverException(kind, what + ": " + answer.message());
        }
        if (response.statusCode() / 100 != 2) throw new DriverException(Kind.FAILED, what + ": HTTP " + response.statusCode());
        return answer;
    }

    private static String trimSlash(String s) {
        return s.endsWith("/") ? s.substring(0, s.length() - 1) : s;
    }
}
