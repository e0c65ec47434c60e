package io.understudy.bench;

import io.understudy.lockstep.DeterministicService;
import io.understudy.lockstep.KeyValueService;
import io.understudy.lockstep.LockstepClient;
import io.understudy.lockstep.LockstepMember;
import io.understudy.lockstep.LockstepMember.Peer;
import io.understudy.lockstep.LockstepMember.Role;
import io.understudy.testkit.Ports;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntFunction;

/**
 * The cost of lockstep (issue 14): requests/s and p50/p99 latency of the example key-value service run by a pair
 * (primary, twin and arbiter on this machine, each reply held by every member) against the same service in this
 * process with no replication (the baseline), same run, same client threads.
 *
 * <p>Run: {@code bench/lockstep.sh [REQUESTS [THREADS]]}.
 */
public final class LockstepBench {
    private LockstepBench() {}

    public static void main(String[] args) throws Exception {
        org.apache.ratis.util.ExitUtils.disableSystemExit();
        int requests = args.length > 0 ? Integer.parseInt(args[0]) : 20_000;
        int threads = args.length > 1 ? Integer.parseInt(args[1]) : 16;
        Duration twinWait = Duration.ofMillis(args.length > 2 ? Long.parseLong(args[2]) : 2000);
        Path root = Files.createTempDirectory("understudy-lockstep-bench");

        DeterministicService alone = new KeyValueService();
        Result base = run(requests, threads, i -> {
            synchronized (alone) {
                return alone.apply(("incr k" + (i % 100)).getBytes(StandardCharsets.UTF_8));
            }
        });

        // The same pair twice: each input in its own entry of the log (how the pair sent before batching), then the
        // inputs that wait together in one entry (LockstepClient's default).
        Result alonePerEntry = pair(root.resolve("one-per-entry"), requests, threads, twinWait, 1);
        Result batched = pair(root.resolve("batched"), requests, threads, twinWait, 512);
        System.out.printf("unreplicated (baseline): %d requests, %d threads: %.0f requests/s, p50 %.3f ms, p99 %.3f ms%n",
                requests, threads, base.perSecond(), base.p50(), base.p99());
        print("lockstep pair, one input per entry", alonePerEntry, base);
        print("lockstep pair, inputs batched", batched, base);
        System.out.printf("batching: %.1fx the requests/s of one input per entry, p50 %.2fx%n",
                batched.perSecond() / alonePerEntry.perSecond(), batched.p50() / alonePerEntry.p50());
        System.exit(0);
    }

    private static void print(String what, Result r, Result base) {
        System.out.printf("%s (3 members, this machine): %.0f requests/s (%.4f of baseline), p50 %.3f ms, p99 %.3f ms (%.0fx, %.0fx baseline)%s%n",
                what, r.perSecond(), r.perSecond() / base.perSecond(), r.p50(), r.p99(), r.p50() / base.p50(), r.p99() / base.p99(),
                r.note());
    }

    private static Result pair(Path root, int requests, int threads, Duration twinWait, int batchLimit) throws Exception {
        int port = Ports.freeRun(3);
        List<Peer> peers = List.of(new Peer("primary", "127.0.0.1:" + port, Role.PRIMARY), new Peer("twin", "127.0.0.1:" + (port + 1), Role.TWIN),
                new Peer("arbiter", "127.0.0.1:" + (port + 2), Role.ARBITER));
        List<LockstepMember> members = new ArrayList<>();
        for (Peer p : peers) members.add(LockstepMember.start("bench", p, peers, root.resolve(p.id()), KeyValueService::new, LockstepMember.Settings.DEFAULTS));
        try (LockstepClient client = new LockstepClient("bench", peers, Duration.ofSeconds(3), twinWait, batchLimit)) {
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (!members.get(0).leading()) {
                if (System.nanoTime() > deadline) throw new IllegalStateException("the primary did not lead within 60 s");
                Thread.sleep(50);
            }
            for (int i = 0; i < 200; i++) client.send("warm-" + i, "incr warm".getBytes(StandardCharsets.UTF_8), Duration.ofSeconds(30));
            Result r = run(requests, threads, i -> {
                try {
                    return client.send("r-" + i, ("incr k" + (i % 100)).getBytes(StandardCharsets.UTF_8), Duration.ofSeconds(30));
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            return r.with(String.format("; %.1f inputs per entry; %d replies left before every member held their input",
                    client.inputsPerEntry(), client.degradedReplies()));
        } finally {
            for (LockstepMember m : members) m.close();
        }
    }

    record Result(double perSecond, double p50, double p99, String note) {
        Result(double perSecond, double p50, double p99) {
            this(perSecond, p50, p99, "");
        }

        Result with(String note) {
            return new Result(perSecond, p50, p99, note);
        }
    }

    private static Result run(int requests, int threads, IntFunction<byte[]> call) throws InterruptedException {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        AtomicLong next = new AtomicLong();
        ConcurrentLinkedQueue<Long> latencies = new ConcurrentLinkedQueue<>();
        long start = System.nanoTime();
        for (int t = 0; t < threads; t++) {
            pool.execute(() -> {
                long i;
                while ((i = next.getAndIncrement()) < requests) {
                    long s = System.nanoTime();
                    call.apply((int) i);
                    latencies.add(System.nanoTime() - s);
                }
            });
        }
        pool.shutdown();
        pool.awaitTermination(1, TimeUnit.HOURS);
        double seconds = (System.nanoTime() - start) / 1e9;
        List<Long> sorted = new ArrayList<>(latencies);
        Collections.sort(sorted);
        return new Result(requests / seconds, sorted.get(sorted.size() / 2) / 1e6, sorted.get((int) (sorted.size() * 0.99)) / 1e6);
    }
}
