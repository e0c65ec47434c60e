package io.understudy.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.understudy.drivers.CallContext;
import io.understudy.drivers.DriverException;
import io.understudy.drivers.Drivers;
import io.understudy.drivers.IdentityDriver;
import io.understudy.model.config.ProfileSpec;
import io.understudy.sim.DemoDataCenter;
import io.understudy.sim.Fault;
import io.understudy.sim.SimDataCenter;
import io.understudy.sim.SimTimings;
import io.understudy.state.AlarmType;
import io.understudy.state.Job;
import io.understudy.state.LocalStateStore;
import io.understudy.state.command.ApplyConfig;
import io.understudy.testkit.DrivenScheduler;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Duplicate address detection on the spare finds the alias answered by foreign equipment: the workload is not
 * started, the job fails at activate, and an address-conflict alarm names the address and who answers it.
 */
class AddressConflictTest {
    @Test
    void foreignEquipmentAnswersForTheAlias_theWorkloadIsNotStarted_andAnAddressConflictIsRaised() throws Exception {
        DrivenScheduler clock = new DrivenScheduler();
        LocalStateStore store = new LocalStateStore();
        var config = DemoDataCenter.build(4);
        SimDataCenter sim = new SimDataCenter(config, clock, SimTimings.FAST);
        // The spares' agents run duplicate address detection; foreign equipment answers for every alias.
        IdentityDriver identity = new IdentityDriver() {
            @Override
            public void assign(String server, ProfileSpec profile, CallContext ctx) throws DriverException {
                if (server.startsWith("dl-s")) {
                    throw new DriverException(DriverException.Kind.CONFLICT, "address " + profile.identity().addresses().get(0)
                            + " is answered by MAC 02:00:5e:00:00:99 on eth0: foreign equipment or another server holds it; not taking it");
                }
                sim.assign(server, profile, ctx);
            }

            @Override
            public void release(String server, ProfileSpec profile, CallContext ctx) throws DriverException {
                sim.release(server, profile, ctx);
            }

            @Override
            public boolean holds(String server, ProfileSpec profile, CallContext ctx) throws DriverException {
                return sim.holds(server, profile, ctx);
            }
        };
        Engine engine = new Engine(store, new Drivers(Map.of("sim", sim), identity, sim, sim), clock, EngineSettings.DEFAULTS, Runnable::run, EngineListener.NONE);
        sim.addListener(engine.detector());
        store.submit(new ApplyConfig(config, "test", clock.now()));
        store.announceLeadership();
        sim.start();
        clock.advance(Duration.ofSeconds(12));

        sim.inject("dl-1", Fault.CRASH);
        clock.advanceUntil(() -> store.read(s -> s.jobs().stream().anyMatch(j -> !j.active())), Duration.ofMillis(100), Duration.ofMinutes(1));
        List<Job> jobs = store.read(s -> List.copyOf(s.jobs()));
        Job job = jobs.get(0);
        assertThat(job.status()).isEqualTo(Job.Status.FAILED);
        assertThat(job.message()).startsWith("activate:").contains("address conflict, workload not started").contains("02:00:5e:00:00:99");
        var alarm = store.read(s -> s.openAlarm(AlarmType.ADDRESS_CONFLICT, "web-1")).orElseThrow();
        assertThat(alarm.text()).contains("address conflict on " + job.target()).contains("foreign equipment");
        assertThat(sim.view(job.target()).workloadRunning()).isFalse();
    }
}
