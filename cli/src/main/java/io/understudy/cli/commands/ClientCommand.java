package io.understudy.cli.commands;

import io.understudy.cli.client.ApiClient;
import io.understudy.cli.client.ApiException;
import io.understudy.cli.client.ClientConfigException;
import io.understudy.cli.client.UnreachableException;
import java.util.concurrent.Callable;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.ParameterException;

/** Base of every client command: shared options, and every failure turned into one {@code error:} line and an exit code. */
public abstract class ClientCommand implements Callable<Integer> {
    @Mixin
    protected ClientOptions options;

    /** Checks arguments picocli cannot (throw ParameterException); runs before the client config is even read. */
    protected void validate() {}

    /** Runs the command against the server and returns its exit code. */
    protected abstract int run(ApiClient api) throws Exception;

    @Override
    public final Integer call() {
        try {
            validate();
            return run(options.client());
        } catch (ParameterException e) {
            throw e; // picocli prints usage errors itself and exits 2
        } catch (ApiException e) {
            return fail(Exit.forStatus(e.status()), e.getMessage());
        } catch (UnreachableException e) {
            return fail(Exit.UNREACHABLE, e.getMessage());
        } catch (ClientConfigException | InputException e) {
            return fail(Exit.USAGE, e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return fail(Exit.FAILED, "interrupted");
        } catch (Exception e) {
            // A bug or a surprising answer: one line for the operator rather than a stack trace.
            return fail(Exit.FAILED, "unexpected failure: " + e);
        }
    }

    protected int fail(int code, String message) {
        options.err().println("error: " + message);
        options.err().flush();
        return code;
    }

    /** Bad local input found while running (an unreadable file): exit 2 without picocli's usage text. */
    public static class InputException extends RuntimeException {
        public InputException(String message) {
            super(message);
        }
    }
}
