package io.understudy.drivers.redfish;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.MissingNode;
import io.understudy.drivers.CallContext;
import io.understudy.drivers.Credentials;
import io.understudy.drivers.DriverException;
import io.understudy.drivers.DriverException.Kind;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;

/**
 * A thin Redfish client for one BMC: JSON over HTTPS, a session (X-Auth-Token) opened once and reopened when the BMC
 * forgets it, basic authentication where the BMC offers no session service, and every failure mapped to a
 * {@link DriverException} kind. Credentials go only into the login body and the Authorization header.
 */
final class RedfishClient {
    static final ObjectMapper JSON = new ObjectMapper();
    static final String ROOT = "/redfish/v1/";
    /** understudy's fencing token; real BMCs ignore the header, the simulator's Redfish service honours it. */
    static final String TERM_HEADER = "X-Understudy-Term";

    /** A Redfish answer: status, body (missing when empty), the Location, X-Auth-Token and Retry-After headers. */
    record Reply(int status, JsonNode body, String location, String token, String retryAfter) {
        boolean ok() {
            return status >= 200 && status < 300;
        }
    }

    private final URI base;
    private final Duration timeout;
    private final CredentialSource credentials;
    private final HttpClient http;
    private volatile String token;
    private volatile String session;
    private volatile boolean basicOnly;

    interface CredentialSource {
        Credentials get() throws DriverException;
    }

    RedfishClient(URI base, SSLContext tls, Duration timeout, CredentialSource credentials) {
        this.base = base;
        this.timeout = timeout;
        this.credentials = credentials;
        this.http = HttpClient.newBuilder().sslContext(tls).connectTimeout(timeout).version(HttpClient.Version.HTTP_1_1)
                .followRedirects(HttpClient.Redirect.NEVER).build();
    }

    URI base() {
        return base;
    }

    /** GET without credentials: the service root is open to anyone (Redfish spec), so it proves reachability and TLS. */
    JsonNode root(CallContext ctx) throws DriverException {
        Reply r = send(request(ROOT, ctx).GET(), null, false);
        if (!r.ok()) throw error(r, "GET " + ROOT);
        return r.body();
    }

    /**
     * Opens a session, or settles for basic authentication where the BMC has no session service. Either way the
     * credentials are tried before it returns: a session POST tries them itself, and basic authentication is proven
     * by a GET of the Systems collection, which needs them (a BMC without sessions would otherwise pass the log-in
     * untried and refuse the first real request).
     */
    String login(CallContext ctx) throws DriverException {
        Credentials c = credentials.get();
        JsonNode root = root(ctx);
        String sessions = root.path("Links").path("Sessions").path("@odata.id").asText(null);
        if (sessions == null) {
            return basic(root, c, ctx, "the BMC offers no session service");
        }
        String body = JSON.createObjectNode().put("UserName", c.username()).put("Password", c.password()).toString();
        Reply r = send(request(sessions, ctx).POST(HttpRequest.BodyPublishers.ofString(body)), c, false);
        if (r.status() == 404 || r.status() == 405 || r.status() == 501) {
            return basic(root, c, ctx, "session login answered HTTP " + r.status());
        }
        if (r.status() == 401 || r.status() == 403) {
            throw refused(c, r.status());
        }
        if (!r.ok() || r.token() == null) throw error(r, "session login");
        token = r.token();
        session = r.location();
        basicOnly = false;
        return "session opened as user '" + c.username() + "'";
    }

    /** Switches to basic authentication and tries it on the Systems collection, which no BMC serves without it. */
    private String basic(JsonNode root, Credentials c, CallContext ctx, String why) throws DriverException {
        basicOnly = true;
        token = null;
        String systems = root.path("Systems").path("@odata.id").asText(ROOT + "Systems");
        Reply r = send(request(systems, ctx).GET(), c, true);
        if (r.status() == 401 || r.status() == 403) throw refused(c, r.status());
        if (!r.ok()) throw error(r, "GET " + systems + " with basic authentication");
        return "basic authentication as user '" + c.username() + "' (" + why + "), accepted on " + systems;
    }

    private DriverException refused(Credentials c, int status) {
        return new DriverException(Kind.AUTH, "BMC " + base.getAuthority() + " refused the credentials of user '" + c.username() + "' (HTTP " + status + ")");
    }

    JsonNode get(String path, CallContext ctx) throws DriverException {
        Reply r = authorized(path, ctx, null);
        if (!r.ok()) throw error(r, "GET " + path);
        return r.body();
    }

    Reply post(String path, JsonNode body, CallContext ctx) throws DriverException {
        return authorized(path, ctx, body.toString());
    }

    void delete(String path, CallContext ctx) throws DriverException {
        Reply r = send(request(path, ctx).DELETE(), null, true);
        if (!r.ok() && r.status() != 404) throw error(r, "DELETE " + path);
    }

    /** Closes the session, so the BMC's few session slots are not used up by us. */
    void logout(CallContext ctx) {
        String s = session;
        if (s == null) return;
        try {
            send(request(s, ctx).DELETE(), null, true);
        } catch (DriverException ignored) {
            // The BMC drops idle sessions itself.
        }
        token = null;
        session = null;
    }

    private Reply authorized(String path, CallContext ctx, String postBody) throws DriverException {
        for (int attempt = 0; ; attempt++) {
            if (token == null && !basicOnly) login(ctx);
            HttpRequest.Builder b = request(path, ctx);
            b = postBody == null ? b.GET() : b.POST(HttpRequest.BodyPublishers.ofString(postBody));
            Reply r = send(b, null, true);
            if (r.status() != 401 && r.status() != 403) return r;
            if (attempt == 0 && !basicOnly) {
                token = null;   // the BMC forgot our session (timeout, reboot): log in again once
                continue;
            }
            throw refused(credentials.get(), r.status());
        }
    }

    private HttpRequest.Builder request(String path, CallContext ctx) {
        return HttpRequest.newBuilder(base.resolve(path)).timeout(timeout)
                .header("Accept", "application/json").header("Content-Type", "application/json")
                .header("OData-Version", "4.0").header(TERM_HEADER, Long.toString(ctx.term()));
    }

    private Reply send(HttpRequest.Builder b, Credentials loginCredentials, boolean withAuth) throws DriverException {
        Credentials redactWith = loginCredentials;
        if (withAuth) {
            if (token != null && !basicOnly) {
                b.header("X-Auth-Token", token);
            } else if (basicOnly) {
                Credentials c = credentials.get();
                redactWith = c;
                b.header("Authorization", "Basic " + Base64.getEncoder().encodeToString((c.username() + ":" + c.password()).getBytes(StandardCharsets.UTF_8)));
            }
        }
        HttpRequest req = b.build();
        String what = req.method() + " " + req.uri().getPath();
        try {
            HttpResponse<String> resp = http.send(req, HttpResponse.BodyHandlers.ofString());
            JsonNode body = resp.body() == null || resp.body().isBlank() ? MissingNode.getInstance() : parse(resp.body());
            return new Reply(resp.statusCode(), body, resp.headers().firstValue("Location").orElse(null),
                    resp.headers().firstValue("X-Auth-Token").orElse(null), resp.headers().firstValue("Retry-After").orElse(null));
        } catch (HttpConnectTimeoutException e) {
            throw new DriverException(Kind.UNREACHABLE, "no answer from " + base.getAuthority() + " within " + timeout.toMillis() + " ms (" + what + ")");
        } catch (HttpTimeoutException e) {
            throw new DriverException(Kind.TIMEOUT, base.getAuthority() + " did not answer " + what + " within " + timeout.toMillis() + " ms");
        } catch (ConnectException e) {
            throw new DriverException(Kind.UNREACHABLE, "cannot connect to " + base.getAuthority() + " (" + (e.getMessage() == null ? "connection refused" : e.getMessage()) + ")");
        } catch (IOException e) {
            SSLException tls = tlsCause(e);
            if (tls != null) throw new DriverException(Kind.AUTH, "TLS: " + redact(redactWith, describe(tls)) + " (" + base.getAuthority() + ")");
            throw new DriverException(Kind.UNREACHABLE, base.getAuthority() + " dropped " + what + " (" + redact(redactWith, describe(e)) + ")");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DriverException(Kind.TIMEOUT, what + " interrupted");
        }
    }

    private DriverException error(Reply r, String what) {
        String msg = message(r.body());
        Duration retryAfter = retryAfter(r.retryAfter());
        Kind kind = busy(r, msg, retryAfter) ? Kind.BUSY : r.status() == 503 ? Kind.UNREACHABLE : r.status() == 409 ? Kind.REFUSED : Kind.FAILED;
        String text = what + " answered HTTP " + r.status() + (msg == null ? "" : ": " + msg)
                + (retryAfter == null ? "" : " (retry after " + retryAfter.toSeconds() + " s)");
        try {
            text = credentials.get().redact(text);
        } catch (DriverException ignored) {
            // No credentials, nothing to leak.
        }
        return new DriverException(kind, text, retryAfter);
    }

    /**
     * Whether the BMC said it is busy with an earlier action rather than refusing: 429, a 503 that says when to come
     * back, or a 409 whose message speaks of an operation in progress (iLO, iDRAC and OpenBMC word it differently).
     */
    private static boolean busy(Reply r, String msg, Duration retryAfter) {
        if (r.status() == 429) return true;
        if (r.status() == 503) return retryAfter != null;
        if (r.status() != 409) return false;
        String id = r.body().path("error").path("@Message.ExtendedInfo").path(0).path("MessageId").asText("")
                + " " + r.body().path("error").path("code").asText("");
        String text = (msg == null ? "" : msg).toLowerCase(java.util.Locale.ROOT);
        return retryAfter != null || id.contains("ResourceInUse") || id.contains("OperationInProgress") || id.contains("ServiceTemporarilyUnavailable")
                || text.contains("in progress") || text.contains("in use") || text.contains("busy") || text.contains("in transition")
                || text.contains("try again");
    }

    /** Retry-After in seconds (an HTTP date is read as "soon": a BMC's clock is not ours to trust). */
    static Duration retryAfter(String header) {
        if (header == null || header.isBlank()) return null;
        try {
            return Duration.ofSeconds(Math.max(0, Long.parseLong(header.trim())));
        } catch (NumberFormatException e) {
            return Duration.ofSeconds(1);
        }
    }

    DriverException errorOf(Reply r, String what) {
        return error(r, what);
    }

    /** The Redfish error message: {@code error.@Message.ExtendedInfo[0].Message}, else {@code error.message}. */
    static String message(JsonNode body) {
        JsonNode err = body.path("error");
        JsonNode ext = err.path("@Message.ExtendedInfo");
        if (ext.isArray() && ext.size() > 0 && ext.get(0).hasNonNull("Message")) return ext.get(0).get("Message").asText();
        return err.hasNonNull("message") ? err.get("message").asText() : null;
    }

    private static JsonNode parse(String text) {
        try {
            return JSON.readTree(text);
        } catch (IOException e) {
            return MissingNode.getInstance();   // not JSON (an HTML error page): the status says enough
        }
    }

    private static SSLException tlsCause(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SSLException s) return s;
        }
        return null;
    }

    /** The deepest cause's message: for TLS that is the certificate check that failed. */
    private static String describe(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) t = t.getCause();
        String m = t.getMessage();
        return m == null ? t.getClass().getSimpleName() : m;
    }

    private static String redact(Credentials c, String text) {
        return c == null ? text : c.redact(text);
    }
}
