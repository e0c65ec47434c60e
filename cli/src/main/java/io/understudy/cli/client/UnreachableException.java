package io.understudy.cli.client;

/** No configured understudy node could be reached (refused, unknown host, timed out). */
public class UnreachableException extends RuntimeException {
    public UnreachableException(String message) {
        super(message);
    }
}
