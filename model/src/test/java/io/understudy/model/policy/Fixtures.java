package io.understudy.model.policy;

import io.understudy.model.ServerState;
import io.understudy.model.ServerView;
import io.understudy.model.config.Bmc;
import io.understudy.model.config.FallbackMode;
import io.understudy.model.config.ProfileSpec;
import io.understudy.model.config.Requirements;
import io.understudy.model.config.ServerSpec;

/** Small builders for policy tests. */
final class Fixtures {
    private Fixtures() {}

    static ServerView spare(String id, String model, int cores, int mem, ServerState state) {
        return new ServerView(new ServerSpec(id, "enc1/bay1", id, null, model, "G1", cores, mem, new Bmc("sim", null)), "g", state, null, true, null);
    }

    static ProfileSpec profile(String id, String model, int cores, int mem, int priority) {
        return new ProfileSpec(id, "g", null, null, null, new Requirements(model, cores, mem), priority, FallbackMode.MANUAL, null);
    }
}
