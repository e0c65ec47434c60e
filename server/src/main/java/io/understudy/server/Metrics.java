package io.understudy.server;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.understudy.engine.EngineListener;
import io.understudy.state.AlarmType;
import io.understudy.state.Job;
import io.understudy.state.JobType;
import io.understudy.state.StateStore;
import java.time.Duration;

/** Prometheus metrics: jobs by type and outcome, failover duration, detection latency, open alarms, leadership. */
public final class Metrics implements EngineListener {
    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);

    public Metrics(StateStore store) {
        for (JobType t : JobType.values()) {
            Gauge.builder("understudy_jobs_running", store, s -> s.read(st -> st.activeJobs().stream().filter(j -> j.type() == t).count()))
                    .tag("type", t.wire()).description("jobs running now").register(registry);
        }
        for (AlarmType a : AlarmType.values()) {
            Gauge.builder("understudy_alarms_open", store, s -> s.read(st -> st.openAlarms().stream().filter(x -> x.type() == a).count()))
                    .tag("type", a.wire()).description("open alarms").register(registry);
        }
        Gauge.builder("understudy_leader", store, s -> s.isLeader() ? 1 : 0).description("1 on the Raft leader").register(registry);
        Gauge.builder("understudy_raft_term", store, StateStore::term).register(registry);
        Gauge.builder("understudy_raft_commit_index", store, s -> s.status().commitIndex()).register(registry);
        Gauge.builder("understudy_raft_applied_index", store, s -> s.status().appliedIndex()).register(registry);
        Gauge.builder("understudy_raft_members", store, s -> s.status().members().size()).register(registry);
        Gauge.builder("understudy_raft_max_member_lag", store, s -> s.status().members().stream().mapToLong(m -> m.lag()).max().orElse(0))
                .description("largest lag (entries behind the commit index) of any member, as the leader sees it").register(registry);
        Gauge.builder("understudy_jobs_failed_total_in_history", store,
                s -> s.read(st -> st.jobs().stream().filter(j -> j.status() == Job.Status.FAILED).count())).register(registry);
    }

    @Override
    public void detected(String server, String verdict, Duration latency) {
        Timer.builder("understudy_detection_latency").description("last heartbeat to confirmed failure")
                .tag("verdict", verdict).publishPercentileHistogram().register(registry).record(latency);
    }

    @Override
    public void jobEnded(String type, String status, Duration took) {
        Counter.builder("understudy_jobs").tag("type", type).tag("status", status).register(registry).increment();
        Timer.builder("understudy_job_duration").description("job created to ended").tag("type", type).tag("status", status)
                .publishPercentileHistogram().register(registry).record(took);
    }

    public io.micrometer.core.instrument.MeterRegistry registry() {
        return registry;
    }

    public String scrape() {
        return registry.scrape();
    }
}
