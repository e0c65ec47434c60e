package io.understudy.state;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Instant;

/** One step of a job, with its state, start and end time and last message. */
public record Step(String name, Status status, Instant started, Instant ended, String message) {

    public enum Status {
        @JsonProperty("pending") PENDING,
        @JsonProperty("running") RUNNING,
        @JsonProperty("done") DONE,
        @JsonProperty("failed") FAILED,
        @JsonProperty("skipped") SKIPPED;

        public boolean finished() {
            return this == DONE || this == FAILED || this == SKIPPED;
        }
    }
}
