package io.understudy.server;

/** An API answer other than success: its HTTP status, the message, and the field that was wrong, if one was. */
public final class ApiError extends RuntimeException {
    final int status;
    final String field;

    public ApiError(int status, String message, String field) {
        super(message);
        this.status = status;
        this.field = field;
    }

    public static ApiError bad(String field, String message) {
        return new ApiError(400, message, field);
    }
}
