package io.understudy.cli.client;

/** The CLI does not know where its server is or which token to use, or its config file is unreadable. */
public class ClientConfigException extends RuntimeException {
    public ClientConfigException(String message) {
        super(message);
    }
}
