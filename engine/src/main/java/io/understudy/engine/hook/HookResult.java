package io.understudy.engine.hook;

/**
 * What one run of a hook came to: whether it succeeded (exit 0, HTTP 2xx) and what it returned, kept short enough
 * for a job step's message or a recorded attempt.
 */
public record HookResult(String hook, boolean ok, String result) {
    static final int KEEP = 1000;

    static HookResult ok(String hook, String result) {
        return new HookResult(hook, true, shorten(result));
    }

    static HookResult failed(String hook, String result) {
        return new HookResult(hook, false, shorten(result));
    }

    /** The head of a long output: a hook's first lines say what it decided, the rest is usually detail. */
    static String shorten(String s) {
        String t = s == null ? "" : s.strip();
        return t.length() <= KEEP ? t : t.substring(0, KEEP) + "… (" + (t.length() - KEEP) + " more characters)";
    }
}
