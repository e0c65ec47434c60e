package io.understudy.cli.launch;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Bad options of {@code lockstep-member} are named with what was expected, before anything starts. */
class LockstepMemberCommandTest {
    private static final String PEERS = "a=primary@127.0.0.1:1,b=twin@127.0.0.1:2,c=arbiter@127.0.0.1:3";

    @Test
    void badPeers_unknownId_arbiterWithADoor_badDuration_areRefusedNamingTheOption(@TempDir Path dir) {
        String data = dir.toString();
        var r = ConfigCheckCommandTest.run("lockstep-member", "--pair", "p", "--id", "a", "--peers", "a=primary@h:1,b=boss@h:2", "--data-dir", data);
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("error: --peers: expected ID=ROLE@HOST:PORT with ROLE primary, twin or arbiter, got 'b=boss@h:2'");

        r = ConfigCheckCommandTest.run("lockstep-member", "--pair", "p", "--id", "a", "--peers", "a=primary@h:1,b=primary@h:2,c=arbiter@h:3", "--data-dir", data);
        assertThat(r.err()).contains("error: --peers: expected exactly one primary");

        r = ConfigCheckCommandTest.run("lockstep-member", "--pair", "p", "--id", "z", "--peers", PEERS, "--data-dir", data);
        assertThat(r.err()).contains("error: --id: expected one of [a, b, c], got 'z'");

        r = ConfigCheckCommandTest.run("lockstep-member", "--pair", "p", "--id", "c", "--peers", PEERS, "--data-dir", data, "--front", "127.0.0.1:9");
        assertThat(r.err()).contains("error: --front: the arbiter serves no client");

        r = ConfigCheckCommandTest.run("lockstep-member", "--pair", "p", "--id", "a", "--peers", PEERS, "--data-dir", data, "--twin-wait", "soon");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("error: --twin-wait: expected a duration like 500ms or 2s, got 'soon'");
    }
}
