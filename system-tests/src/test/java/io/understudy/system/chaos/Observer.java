package io.understudy.system.chaos;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.HashMap;
import java.util.Map;

/**
 * Watches the system while a trial's faults land: every running node's job list, the steps of each job whose status or
 * step moved since that node last showed it, and sim-dc's view of the hardware. All of it goes into the history
 * through the {@link ApiClient}.
 */
final class Observer implements AutoCloseable {
    private static final long PERIOD_MS = 250;

    private final ControlPlane plane;
    private final ApiClient api;
    private final long firstJob;
    private final Map<String, String> lastShown = new HashMap<>();
    private final Thread thread;
    private volatile boolean stopped;

    Observer(ControlPlane plane, ApiClient api, long firstJob) {
        this.plane = plane;
        this.api = api;
        this.firstJob = firstJob;
        thread = new Thread(this::loop, "chaos-observer");
        thread.setDaemon(true);
        thread.start();
    }

    private void loop() {
        while (!stopped) {
            look();
            try {
                Thread.sleep(PERIOD_MS);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    /** One look at everything; also called once more at the end of a trial, for the final views. */
    void look() {
        for (String node : plane.runningNodes()) jobs(node, false);
        api.get(ApiClient.SIM_DC, "/v1/sim/servers");
    }

    /** A node's job list, and the steps of the jobs that moved ({@code all}: of every job of this trial). */
    void jobs(String node, boolean all) {
        ApiClient.Answer a = api.get(node, "/api/v1/jobs");
        if (a.json() == null || !a.json().isArray()) return;
        for (JsonNode j : a.json()) {
            long id = j.path("id").asLong();
            if (id < firstJob) continue;
            String key = node + "#" + plane.incarnation(node) + " " + id;
            String shown = j.path("status").asText() + " " + j.path("currentStep").asText();
            if (all || !shown.equals(lastShown.put(key, shown))) api.get(node, "/api/v1/jobs/" + id);
        }
    }

    @Override
    public void close() throws InterruptedException {
        stopped = true;
        thread.interrupt();
        thread.join(10_000);
    }
}
