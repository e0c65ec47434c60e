package io.understudy.system.chaos;

import io.understudy.state.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Everything one trial saw: every API answer (from the nodes and from sim-dc), every fault applied, and the simulated
 * hardware's own log. The checker reads nothing else, so a written history can be checked again later.
 *
 * @param firstJob the lowest job id this trial is about (earlier trials' jobs are only context for the budgets)
 * @param hardware sim-dc's hardware log of the trial ({@code GET /v1/sim/history} events, as served); empty when
 *                 this sim-dc has none
 */
record History(Schedule schedule, long firstJob, List<Exchange> exchanges, List<Injection> injections,
               List<com.fasterxml.jackson.databind.JsonNode> hardware) {

    /** A history being written by several threads. */
    static final class Recorder {
        private final List<Exchange> exchanges = new ArrayList<>();
        private final List<Injection> injections = new ArrayList<>();

        synchronized void add(Exchange e) {
            exchanges.add(e);
        }

        synchronized void add(Injection i) {
            injections.add(i);
        }

        synchronized History finish(Schedule schedule, long firstJob, List<com.fasterxml.jackson.databind.JsonNode> hardware) {
            return new History(schedule, firstJob, List.copyOf(exchanges), List.copyOf(injections), List.copyOf(hardware));
        }
    }

    /** Writes the history as JSON for a later look (the campaign does so for every trial that failed). */
    void write(Path file) throws IOException {
        Files.createDirectories(file.getParent());
        Json.MAPPER.writerWithDefaultPrettyPrinter().writeValue(file.toFile(), this);
    }
}
