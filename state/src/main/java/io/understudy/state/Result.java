package io.understudy.state;

/** What applying a command answered: accepted or refused with the reason, and the new job's number if any. */
public record Result(boolean ok, String message, Long job) {
    public static Result ok(String message) {
        return new Result(true, message, null);
    }

    public static Result refused(String message) {
        return new Result(false, message, null);
    }
}
