package io.understudy.model.policy;

import io.understudy.model.Resources;
import io.understudy.model.ServerState;
import io.understudy.model.ServerView;
import io.understudy.model.config.ProfileSpec;
import io.understudy.model.config.ProtectionLevel;
import io.understudy.model.config.Requirements;
import io.understudy.model.config.ServerSpec;
import java.util.Objects;
import java.util.Optional;

/**
 * VCEM's qualification rules, extended with IBM's resource fit: a spare qualifies for a profile when it has no
 * profile, is present, is in the power state its protection level expects, is of the same model (generation
 * ignored), offers at least the required resources, and no other job holds it.
 */
public final class SpareQualification {
    private SpareQualification() {}

    /** Why {@code spare} cannot take {@code profile}, or empty when it qualifies. */
    public static Optional<String> disqualification(ServerView spare, ProfileSpec profile, ProtectionLevel level) {
        if (!spare.spare()) return Optional.of("not a spare");
        if (spare.profile() != null) return Optional.of("already runs profile " + spare.profile());
        if (spare.reservedBy() != null) return Optional.of("reserved by job " + spare.reservedBy());
        if (spare.drained()) return Optional.of("drained for maintenance");
        ServerState state = spare.state();
        if (state == ServerState.UNKNOWN || state.isDown()) return Optional.of("not present (" + state.wire() + ")");
        switch (level) {
            case COLD -> {
                if (state != ServerState.OFF) return Optional.of("not powered off (" + state.wire() + ")");
            }
            case HOT, PRELOADED, LOCKSTEP -> {
                if (state != ServerState.RUNNING) return Optional.of("not booted and healthy (" + state.wire() + ")");
            }
        }
        return fit(spare, profile);
    }

    /**
     * Model and resource fit alone, whatever the spare's state: what capacity planning matches on. The server is judged
     * by what it offers ({@link ServerView#offers}): the smaller of configured and reported resources, the reported model.
     */
    public static Optional<String> fit(ServerView server, ProfileSpec profile) {
        Requirements need = profile.requirements();
        if (need == null) return Optional.empty();
        Resources has = server.offers();
        ServerSpec spec = server.spec();
        String reported = " (as its agent reports)";
        if (need.model() != null && !Objects.equals(need.model(), has.model())) {
            return Optional.of("model " + has.model() + " is not " + need.model() + (Objects.equals(has.model(), spec.model()) ? "" : reported));
        }
        if (has.cores() < need.minCores()) {
            return Optional.of(has.cores() + " cores < " + need.minCores() + " required" + (has.cores() == spec.cores() ? "" : reported));
        }
        if (has.memoryGib() < need.minMemoryGib()) {
            return Optional.of(has.memoryGib() + " GiB < " + need.minMemoryGib() + " GiB required" + (has.memoryGib() == spec.memoryGib() ? "" : reported));
        }
        return Optional.empty();
    }
}
