package io.understudy.system.chaos;

/** An invariant the history shows broken, with what shows it. */
record Violation(String invariant, String message) {
    @Override
    public String toString() {
        return "invariant " + invariant + ": " + message;
    }
}
