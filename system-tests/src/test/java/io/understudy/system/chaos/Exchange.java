package io.understudy.system.chaos;

import java.time.Instant;

/**
 * One API answer the harness saw: when, from which node ("sim-dc" for the simulated hardware), what was asked, and
 * what came back. Status 0: no answer (the node was down or did not answer in time); the body then says why.
 *
 * @param incarnation how many times the node had been started when it answered, so a restarted node's views are
 *                    not compared with its earlier life's
 */
record Exchange(Instant at, String node, int incarnation, String request, int status, String body) {
    boolean ok() {
        return status >= 200 && status < 300;
    }
}
