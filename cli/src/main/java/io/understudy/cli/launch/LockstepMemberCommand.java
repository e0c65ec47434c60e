package io.understudy.cli.launch;

import io.understudy.lockstep.KeyValueService;
import io.understudy.lockstep.LockstepClient;
import io.understudy.lockstep.LockstepFront;
import io.understudy.lockstep.LockstepMember;
import io.understudy.state.Durations;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code understudy lockstep-member}: one member of a lockstep pair as a process of its own, running the example
 * key-value service, with a line-per-request door for clients ({@link LockstepFront}). What the control plane will
 * start on each server of a pair; today the lab and the tests start it by hand.
 */
@Command(name = "lockstep-member", description = "Run one member of a lockstep pair (primary, twin or arbiter) with the example "
        + "key-value service, and a TCP door for its clients: one line \"REQUEST-ID INPUT\" per request.")
public final class LockstepMemberCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--pair", required = true, description = "the pair's name (the same on its three members)")
    String pair;

    @Option(names = "--id", required = true, description = "this member's id, one of --peers")
    String id;

    @Option(names = "--peers", required = true, paramLabel = "ID=ROLE@HOST:PORT,...",
            description = "the pair's three members: roles primary, twin and arbiter, each with its Raft address")
    String peers;

    @Option(names = "--data-dir", required = true, description = "where this member keeps the pair's log and snapshots")
    Path dataDir;

    @Option(names = "--front", paramLabel = "HOST:PORT", description = "where clients send their requests (none on the arbiter)")
    String front;

    @Option(names = "--twin-wait", defaultValue = "2s", description = "how long a reply waits for the other member before the pair "
            + "counts as degraded (default: ${DEFAULT-VALUE})")
    String twinWait;

    @Option(names = "--digest-every", defaultValue = "100", description = "compare the members' digests every this many inputs (default: ${DEFAULT-VALUE})")
    int digestEvery;

    @Override
    public Integer call() throws Exception {
        List<LockstepMember.Peer> list = new ArrayList<>();
        for (String p : peers.split(",")) {
            String[] idRest = p.trim().split("=", 2);
            String[] roleAddress = idRest.length == 2 ? idRest[1].split("@", 2) : new String[0];
            LockstepMember.Role role;
            try {
                role = roleAddress.length == 2 ? LockstepMember.Role.valueOf(roleAddress[0].toUpperCase(Locale.ROOT)) : null;
            } catch (IllegalArgumentException e) {
                role = null;
            }
            if (role == null || !roleAddress[1].matches("[^:]+:\\d{1,5}")) {
                return fail("--peers", "expected ID=ROLE@HOST:PORT with ROLE primary, twin or arbiter, got '" + p + "'");
            }
            list.add(new LockstepMember.Peer(idRest[0], roleAddress[1], role));
        }
        for (LockstepMember.Role r : LockstepMember.Role.values()) {
            if (list.stream().filter(p -> p.role() == r).count() != 1) return fail("--peers", "expected exactly one " + r.wire() + ", got " + peers);
        }
        LockstepMember.Peer self = list.stream().filter(p -> p.id().equals(id)).findFirst().orElse(null);
        if (self == null) return fail("--id", "expected one of " + list.stream().map(LockstepMember.Peer::id).toList() + ", got '" + id + "'");
        if (digestEvery <= 0) return fail("--digest-every", "expected a positive number, got " + digestEvery);
        Duration wait;
        try {
            wait = Durations.parse(twinWait);
        } catch (IllegalArgumentException e) {
            return fail("--twin-wait", "expected a duration like 500ms or 2s, got '" + twinWait + "'");
        }
        InetSocketAddress door = null;
        if (front != null) {
            if (self.role() == LockstepMember.Role.ARBITER) return fail("--front", "the arbiter serves no client: leave --front out");
            int colon = front.lastIndexOf(':');
            if (colon <= 0 || !front.substring(colon + 1).matches("\\d{1,5}")) return fail("--front", "expected HOST:PORT, got '" + front + "'");
            door = new InetSocketAddress(front.substring(0, colon), Integer.parseInt(front.substring(colon + 1)));
        }
        LockstepMember.Settings d = LockstepMember.Settings.DEFAULTS;
        LockstepMember member = LockstepMember.start(pair, self, list, dataDir, KeyValueService::new,
                new LockstepMember.Settings(d.electionTimeoutMin(), d.electionTimeoutMax(), digestEvery, d.snapshotEvery()));
        LockstepClient client = new LockstepClient(pair, list, Duration.ofSeconds(3), wait).leaderHint(member::leader);
        LockstepFront door0 = door == null ? null : LockstepFront.start(door, member, client, Duration.ofSeconds(30));
        System.out.println("understudy lockstep-member " + self.id() + " (" + self.role().wire() + ") of pair " + pair + " running at "
                + self.address() + (door0 == null ? "" : "; clients: " + front));
        System.out.flush();
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                if (door0 != null) door0.close();
                client.close();
                member.close();
            } catch (Exception e) {
                // stopping anyway
            }
            stopped.countDown();
        }));
        stopped.await();
        return 0;
    }

    private int fail(String option, String message) {
        spec.commandLine().getErr().println("error: " + option + ": " + message);
        spec.commandLine().getErr().flush();
        return 2;
    }
}
