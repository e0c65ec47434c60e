package io.understudy.model;

import io.understudy.model.config.ServerSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * What a server offers a profile: its model and how many cores and GiB of memory. A server's agent reports these with
 * its heartbeats; a field it could not measure (null model, zero or fewer cores or GiB) is not reported.
 */
public record Resources(String model, int cores, int memoryGib) {

    /** The resources a server is configured with. */
    public static Resources configured(ServerSpec spec) {
        return new Resources(spec.model(), spec.cores(), spec.memoryGib());
    }

    /**
     * What a server with these configured resources can be counted on for once its agent reported {@code reported}
     * (null: nothing reported): the smaller of configured and reported, and the reported model when it is another.
     * A spare that reports less than it was sold as is judged by what it has.
     */
    public Resources counting(Resources reported) {
        if (reported == null) return this;
        String m = reported.model() == null || sameModel(reported.model(), model) ? model : reported.model();
        int c = reported.cores() > 0 ? Math.min(cores, reported.cores()) : cores;
        int g = reported.memoryGib() > 0 ? Math.min(memoryGib, reported.memoryGib()) : memoryGib;
        return new Resources(m, c, g);
    }

    /** What {@code reported} lacks against these configured resources (fewer cores or GiB, another model), or empty when it fits. */
    public Optional<String> shortfall(Resources reported) {
        if (reported == null) return Optional.empty();
        List<String> differs = new ArrayList<>();
        if (reported.model() != null && !sameModel(reported.model(), model)) differs.add("model " + reported.model() + ", not " + model);
        if (reported.cores() > 0 && reported.cores() < cores) differs.add(reported.cores() + " cores, not " + cores);
        if (reported.memoryGib() > 0 && reported.memoryGib() < memoryGib) differs.add(reported.memoryGib() + " GiB, not " + memoryGib);
        return differs.isEmpty() ? Optional.empty() : Optional.of(String.join("; ", differs));
    }

    /**
     * Whether a reported model names the configured one. Firmware reports a product name ("ProLiant DL360 Gen10") where
     * the configuration names the model ("DL360"): the configured name as a word of the reported one counts as the same.
     */
    static boolean sameModel(String reported, String configured) {
        if (configured == null) return true;
        String r = reported.strip().toLowerCase(Locale.ROOT);
        String c = configured.strip().toLowerCase(Locale.ROOT);
        if (r.equals(c)) return true;
        return (" " + r.replaceAll("[^a-z0-9]+", " ") + " ").contains(" " + c.replaceAll("[^a-z0-9]+", " ").strip() + " ");
    }
}
