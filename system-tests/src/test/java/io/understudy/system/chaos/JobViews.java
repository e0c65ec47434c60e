package io.understudy.system.chaos;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The job views a history holds, read out of its exchanges: lists from {@code GET /api/v1/jobs}, single jobs with their steps. */
final class JobViews {
    /** One job as one node showed it at one time. */
    record Seen(Exchange from, JsonNode job) {
        long id() {
            return job.path("id").asLong();
        }

        String text(String field) {
            return job.path(field).isNull() ? null : job.path(field).asText(null);
        }
    }

    /** One job list answer. */
    record Listing(Exchange from, List<Seen> jobs) {}

    /** Every job list answer, in the order they were seen. */
    final List<Listing> lists = new ArrayList<>();
    /** Every single-job answer (with steps). */
    final List<Seen> details = new ArrayList<>();

    JobViews(History h) {
        for (Exchange e : h.exchanges()) {
            if (!e.ok() || e.node().equals(ApiClient.SIM_DC)) continue;
            if (e.request().equals("GET /api/v1/jobs")) {
                JsonNode a = Trial.json(e.body());
                if (a == null || !a.isArray()) continue;
                List<Seen> one = new ArrayList<>();
                for (JsonNode j : a) one.add(new Seen(e, j));
                lists.add(new Listing(e, one));
            } else if (e.request().startsWith("GET /api/v1/jobs/")) {
                JsonNode j = Trial.json(e.body());
                if (j != null && j.has("steps")) details.add(new Seen(e, j));
            }
        }
    }

    /** The newest view of every job, from the last job lists and details seen (the history's end state). */
    Map<Long, JsonNode> newest() {
        Map<Long, JsonNode> out = new LinkedHashMap<>();
        for (Listing l : lists) for (Seen s : l.jobs()) out.put(s.id(), s.job());
        return out;
    }

    /** The newest view with steps of every job that has one. */
    Map<Long, JsonNode> newestDetails() {
        Map<Long, JsonNode> out = new LinkedHashMap<>();
        for (Seen s : details) out.put(s.id(), s.job());
        return out;
    }
}
