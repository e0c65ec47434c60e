package io.understudy.cli.client;

import com.fasterxml.jackson.databind.JsonNode;

/** The server answered a request with a non-2xx status and (usually) a JSON body {@code {"error","field"}}. */
public class ApiException extends RuntimeException {
    private final int status;
    private final String error;
    private final String field;
    private final transient JsonNode body;

    public ApiException(int status, String error, String field) {
        this(status, error, field, null);
    }

    public ApiException(int status, String error, String field, JsonNode body) {
        super(field == null ? error : error + " (field: " + field + ")");
        this.status = status;
        this.error = error;
        this.field = field;
        this.body = body;
    }

    public int status() {
        return status;
    }

    public String error() {
        return error;
    }

    /** The field or argument the server named as wrong, or null. */
    public String field() {
        return field;
    }

    /** The whole parsed error body (config apply lists every error in it), or null when it was not JSON. */
    public JsonNode body() {
        return body;
    }
}
