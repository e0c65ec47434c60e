package io.understudy.drivers.peers;

import io.understudy.drivers.process.Tools;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * Real BMC peers for tests (Debian's ipmi_sim, ipmitool, fence agents, redfishtool): a test that needs one is skipped
 * with the reason when it is not installed, unless {@code UNDERSTUDY_REQUIRE_PEERS=1} (CI), where it fails instead.
 */
public final class Peers {
    public static final String REQUIRE = "UNDERSTUDY_REQUIRE_PEERS";

    private Peers() {}

    /** Skips (or, in CI, fails) the calling test unless every tool is installed. */
    public static void require(String... tools) {
        List<String> missing = new ArrayList<>();
        for (String t : tools) if (Tools.find(t).isEmpty()) missing.add(t);
        if (missing.isEmpty()) return;
        String why = "not installed: " + missing + " (Debian packages: openipmi for ipmi_sim, ipmitool, fence-agents, redfishtool)";
        if ("1".equals(System.getenv(REQUIRE))) Assertions.fail(REQUIRE + "=1 but " + why);
        Assumptions.abort(why);
    }
}
