package io.understudy.drivers.agent;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/** HMAC-SHA256 of a message body with the agent's secret; compared in constant time. */
public final class Signer {
    private static final String PREFIX = "sha256=";

    private Signer() {}

    public static String sign(String secret, byte[] body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return PREFIX + HexFormat.of().formatHex(mac.doFinal(body));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 unavailable", e);
        }
    }

    /**
     * A copy ticket: lets whoever holds it fetch one backup of one profile from {@code server} until {@code expires}.
     * Made by the control plane with the source server's secret and checked by the source agent with its own.
     */
    public static String ticket(String secret, String server, String profile, String backup, long expires) {
        return sign(secret, ("copy\n" + server + "\n" + profile + "\n" + backup + "\n" + expires).getBytes(StandardCharsets.UTF_8));
    }

    /** Whether a ticket (or signature) given equals the one expected, compared in constant time. */
    public static boolean matches(String expected, String given) {
        if (expected == null || given == null) return false;
        return MessageDigest.isEqual(expected.getBytes(StandardCharsets.US_ASCII), given.getBytes(StandardCharsets.US_ASCII));
    }

    public static boolean verify(String secret, byte[] body, String signature) {
        if (secret == null || signature == null) return false;
        return MessageDigest.isEqual(sign(secret, body).getBytes(StandardCharsets.US_ASCII),
                signature.getBytes(StandardCharsets.US_ASCII));
    }
}
