package io.understudy.cli.commands;

/** The CLI's exit codes, one place so scripts can rely on them. */
public final class Exit {
    private Exit() {}

    public static final int OK = 0;
    /** The operation ran and failed: a job failed, or the state refused it (409). */
    public static final int FAILED = 1;
    /** Bad usage or input: picocli usage errors, 400/404 answers, unreadable files, missing client config. */
    public static final int USAGE = 2;
    /** Cannot reach a working server, or it rejected the token (401/403). */
    public static final int UNREACHABLE = 3;

    /** Maps an API error status onto the exit codes above. */
    public static int forStatus(int status) {
        if (status == 401 || status == 403 || status == 503) return UNREACHABLE;
        if (status == 409) return FAILED;
        if (status >= 400 && status < 500) return USAGE;
        return FAILED;
    }
}
