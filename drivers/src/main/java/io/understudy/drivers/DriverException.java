package io.understudy.drivers;

/** A driver call that did not do what was asked; {@link Kind} says why, so jobs and alarms can say it too. */
public class DriverException extends Exception {

    public enum Kind {
        /** The BMC or agent did not answer. */
        UNREACHABLE,
        /**
         * It answered but refused our credentials, no credentials could be read, or its TLS certificate did not
         * match the one we trust (we refuse it): retrying does not help.
         */
        AUTH,
        /** It did not finish within the call's timeout. */
        TIMEOUT,
        /** It refused the order (e.g. a boot-from-SAN port on a running server, or an order from an older term). */
        REFUSED,
        /** Another host answers for an address this server was to take (duplicate address detection). */
        CONFLICT,
        /** It answered with an error. */
        FAILED,
        /**
         * It is busy with an earlier action ("operation in progress", HTTP 409 or 503 with Retry-After, IPMI "node
         * busy") and did not take this order. Transient: ask again later, not at once — a BMC still carrying out
         * an order needs time, and many restart the action on every new order.
         */
        BUSY
    }

    private final Kind kind;
    private final java.time.Duration retryAfter;

    public DriverException(Kind kind, String message) {
        this(kind, message, null);
    }

    /** @param retryAfter how long the BMC asked us to wait before asking again (Retry-After), or null */
    public DriverException(Kind kind, String message, java.time.Duration retryAfter) {
        super(message);
        this.kind = kind;
        this.retryAfter = retryAfter;
    }

    public Kind kind() {
        return kind;
    }

    /** How long the BMC asked us to wait before asking again, where it said. */
    public java.util.Optional<java.time.Duration> retryAfter() {
        return java.util.Optional.ofNullable(retryAfter);
    }

    @Override
    public String getMessage() {
        return kind.name().toLowerCase() + ": " + super.getMessage();
    }
}
