package io.understudy.model.policy;

import io.understudy.model.ServerView;
import io.understudy.model.config.ProfileSpec;
import java.util.Collection;
import java.util.Comparator;
import java.util.Map;
import java.util.Optional;

/**
 * MX-ONE's preemption: when no spare is free, a failing profile with a better (lower) priority value may take a
 * spare that runs a profile with a worse one. The worst-priority victim goes first.
 */
public final class Preemption {
    private Preemption() {}

    /** A server that may be taken, and the profile that loses it. */
    public record Victim(ServerView server, ProfileSpec profile) {}

    /**
     * @param spares servers of the group that were configured as spares (whatever they run now)
     * @param profiles every profile by id
     */
    public static Optional<Victim> choose(Collection<ServerView> spares, Map<String, ProfileSpec> profiles,
                                          ProfileSpec failing) {
        return spares.stream()
                .filter(s -> s.profile() != null && s.reservedBy() == null && !s.state().isDown())
                .map(s -> new Victim(s, profiles.get(s.profile())))
                .filter(v -> v.profile() != null && v.profile().priority() > failing.priority())
                .filter(v -> SpareQualification.fit(v.server(), failing).isEmpty())
                .max(Comparator.comparingInt((Victim v) -> v.profile().priority())
                        .thenComparing(v -> v.profile().id(), Comparator.reverseOrder()));
    }
}
