package io.understudy.bench;

import io.understudy.state.AlarmType;
import io.understudy.state.StateStore;
import io.understudy.state.command.RaiseAlarm;
import io.understudy.state.ratis.RatisSettings;
import io.understudy.state.ratis.RatisStateStore;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The replicated state on this machine: write throughput of one node (the baseline) and of a three-node group,
 * and the time from a leader's death to a new leader ready to act, over repeated trials.
 *
 * <p>Run: {@code bench/raft.sh} (= {@code java -cp bench/target/understudy-bench.jar io.understudy.bench.RaftBench}).
 */
public final class RaftBench {
    public static void main(String[] args) throws Exception {
        org.apache.ratis.util.ExitUtils.disableSystemExit();
        int writes = args.length > 0 ? Integer.parseInt(args[0]) : 2000;
        int trials = args.length > 1 ? Integer.parseInt(args[1]) : 20;
        Path root = Files.createTempDirectory("understudy-raft-bench");
        double one = throughput(group(1, root.resolve("t1")), writes);
        double three = throughput(group(3, root.resolve("t3")), writes);
        System.out.printf("write throughput (%d commands, 8 writers): 1 node %.0f commands/s (baseline); 3 nodes %.0f commands/s (%.2f of baseline)%n",
                writes, one, three, three / one);
        List<Long> failover = new ArrayList<>();
        for (int t = 0; t < trials; t++) failover.add(leaderFailover(root.resolve("f" + t)));
        Collections.sort(failover);
        System.out.printf("leader killed -> new leader ready (3 nodes, election timeout 150-300 ms, %d trials): median %d ms, p95 %d ms, max %d ms%n",
                trials, failover.get(failover.size() / 2), failover.get((int) Math.ceil(trials * 0.95) - 1), failover.get(trials - 1));
    }

    static double throughput(List<RatisStateStore> stores, int writes) throws Exception {
        StateStore leader = leader(stores);
        ExecutorService pool = Executors.newFixedThreadPool(8);
        AtomicLong next = new AtomicLong();
        CountDownLatch done = new CountDownLatch(writes);
        long start = System.nanoTime();
        for (int w = 0; w < 8; w++) {
            pool.execute(() -> {
                long i;
                while ((i = next.getAndIncrement()) < writes) {
                    leader.submit(new RaiseAlarm(AlarmType.SERVER_FAILED, "s" + (i % 50), "write " + i, Instant.EPOCH.plusSeconds(i)));
                    done.countDown();
                }
            });
        }
        done.await(10, TimeUnit.MINUTES);
        double seconds = (System.nanoTime() - start) / 1e9;
        pool.shutdownNow();
        stores.parallelStream().forEach(RatisStateStore::close);
        return writes / seconds;
    }

    /**
     * Starts a three-node group as three JVMs, {@code kill -9}s the leader's process and times until another member
     * says it leads (it has won the election and applied the log).
     */
    static long leaderFailover(Path dir) throws Exception {
        List<Integer> ports = new ArrayList<>();
        for (int i = 0; i < 3; i++) ports.add(freePort());
        String peers = "n1=" + ports.get(0) + ",n2=" + ports.get(1) + ",n3=" + ports.get(2);
        List<Process> members = new ArrayList<>();
        java.util.concurrent.BlockingQueue<String> events = new java.util.concurrent.LinkedBlockingQueue<>();
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String cp = System.getProperty("java.class.path");
        try {
            for (int i = 1; i <= 3; i++) {
                Path d = Files.createDirectories(dir.resolve("n" + i));
                Process p = new ProcessBuilder(java, "-cp", cp, RaftMember.class.getName(), "n" + i, d.toString(), peers)
                        .redirectError(ProcessBuilder.Redirect.DISCARD).start();
                int index = i - 1;
                Thread reader = new Thread(() -> new java.io.BufferedReader(new java.io.InputStreamReader(p.getInputStream()))
                        .lines().forEach(l -> events.add(index + " " + l)));
                reader.setDaemon(true);
                reader.start();
                members.add(p);
            }
            String first = events.poll(60, TimeUnit.SECONDS);
            if (first == null || !first.contains("LEADER")) throw new IllegalStateException("no leader: " + first);
            int leader = Integer.parseInt(first.split(" ")[0]);
            Thread.sleep(500);   // let followers settle on this leader
            events.clear();
            long killed = System.nanoTime();
            members.get(leader).destroyForcibly();   // SIGKILL
            while (true) {
                String e = events.poll(30, TimeUnit.SECONDS);
                if (e == null) throw new IllegalStateException("no new leader within 30 s");
                if (e.contains("LEADER") && Integer.parseInt(e.split(" ")[0]) != leader) return (System.nanoTime() - killed) / 1_000_000;
            }
        } finally {
            members.forEach(Process::destroyForcibly);
            for (Process p : members) p.waitFor(10, TimeUnit.SECONDS);
        }
    }

    static RatisStateStore leader(List<RatisStateStore> stores) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (System.nanoTime() < deadline) {
            for (RatisStateStore s : stores) if (s.isLeader()) return s;
            Thread.sleep(1);
        }
        throw new IllegalStateException("no leader within 20 s");
    }

    static List<RatisStateStore> group(int size, Path dir) throws Exception {
        List<RatisSettings.Peer> peers = new ArrayList<>();
        for (int i = 0; i < size; i++) peers.add(new RatisSettings.Peer("n" + (i + 1), "127.0.0.1", freePort()));
        List<RatisStateStore> stores = Collections.synchronizedList(new ArrayList<>());
        List<Thread> starting = new ArrayList<>();
        for (int i = 0; i < size; i++) {
            RatisSettings.Peer p = peers.get(i);
            Path d = Files.createDirectories(dir.resolve(p.id()));
            Thread t = new Thread(() -> {
                try {
                    stores.add(RatisStateStore.start(new RatisSettings(p.id(), peers, d, p.port(), Duration.ofSeconds(10),
                            RatisSettings.DEFAULT_SNAPSHOT_THRESHOLD)));
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
            t.start();
            starting.add(t);
        }
        for (Thread t : starting) t.join();
        return new ArrayList<>(stores);
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }
}
