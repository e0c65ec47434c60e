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
        FAILED
    }

    private final Kind kind;

    public DriverException(Kind kind, String message) {
        super(message);
        this.kind = kind;
    }

    public Kind kind() {
        return kind;
    }

    @Override
    public String getMessage() {
        return kind.name().toLowerCase() + ": " + super.getMessage();
    }
}
