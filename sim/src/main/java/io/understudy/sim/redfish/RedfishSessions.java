package io.understudy.sim.redfish;

import com.sun.net.httpserver.HttpExchange;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/** Who may talk to the simulated BMCs: its users, and the sessions (X-Auth-Token) they opened. */
final class RedfishSessions {
    /** An open session: its id (in its URI) and user. */
    record Session(String id, String user) {}

    private final Map<String, String> users;
    private final Map<String, Session> byToken = new ConcurrentHashMap<>();
    private final AtomicInteger ids = new AtomicInteger();
    private final SecureRandom random = new SecureRandom();

    RedfishSessions(Map<String, String> users) {
        this.users = Map.copyOf(users);
    }

    /** Opens a session: its token and id, or null if the credentials are wrong. */
    String[] open(String user, String password) {
        if (!matches(users.get(user), password)) return null;
        byte[] raw = new byte[24];
        random.nextBytes(raw);
        String token = HexFormat.of().formatHex(raw);
        String id = Integer.toString(ids.incrementAndGet());
        byToken.put(token, new Session(id, user));
        return new String[] {token, id};
    }

    void close(String id) {
        byToken.values().removeIf(s -> s.id().equals(id));
    }

    List<String> ids() {
        return byToken.values().stream().map(Session::id).sorted().toList();
    }

    /** The user a request is from, by session token or basic credentials; null if neither is valid. */
    String user(HttpExchange ex) {
        String token = ex.getRequestHeaders().getFirst("X-Auth-Token");
        if (token != null) {
            Session s = byToken.get(token);
            if (s != null) return s.user();
        }
        String auth = ex.getRequestHeaders().getFirst("Authorization");
        if (auth == null || !auth.startsWith("Basic ")) return null;
        String decoded;
        try {
            decoded = new String(Base64.getDecoder().decode(auth.substring(6).trim()), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return null;
        }
        int colon = decoded.indexOf(':');
        if (colon < 0) return null;
        String user = decoded.substring(0, colon);
        return matches(users.get(user), decoded.substring(colon + 1)) ? user : null;
    }

    private static boolean matches(String expected, String given) {
        return expected != null && MessageDigest.isEqual(expected.getBytes(StandardCharsets.UTF_8), given.getBytes(StandardCharsets.UTF_8));
    }
}
