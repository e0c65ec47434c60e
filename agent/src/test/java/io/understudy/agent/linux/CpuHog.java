package io.understudy.agent.linux;

import java.util.ArrayList;
import java.util.List;

/**
 * Busy threads in this JVM that keep every core's run queue long, so a test can show a probe holds when the scheduler
 * is slow to run it (issue 10: DAD missed a conflict at load average ~16). Closing stops and joins them.
 */
final class CpuHog implements AutoCloseable {
    /** Runnable threads per core: a run queue longer than at the load average of ~16 the bug was seen at. */
    static final int PER_CORE = 48;

    private final List<Thread> threads = new ArrayList<>();
    private volatile boolean running = true;

    private CpuHog() {}

    static CpuHog onEveryCore() {
        CpuHog hog = new CpuHog();
        int n = PER_CORE * Runtime.getRuntime().availableProcessors();
        for (int i = 0; i < n; i++) {
            Thread t = new Thread(hog::spin, "cpu-hog-" + i);
            t.setDaemon(true);
            hog.threads.add(t);
            t.start();
        }
        return hog;
    }

    private void spin() {
        long x = 0;
        while (running) x = x * 31 + 1;
        if (x == 42) System.out.print("");
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        for (Thread t : threads) t.join();
    }
}
