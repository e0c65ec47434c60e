package io.understudy.drivers;

import static org.assertj.core.api.Assertions.assertThat;

import io.understudy.model.config.Bmc;
import io.understudy.model.config.DataCenterConfig;
import io.understudy.model.config.Enclosure;
import io.understudy.model.config.ServerSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class BmcRouterTest {
    private static DataCenterConfig dc(String endpointA) {
        return new DataCenterConfig("t", List.of(new Enclosure("enc1", 4)), List.of(
                new ServerSpec("a", "enc1/bay1", "a", null, "M", "G", 8, 64, new Bmc("ipmi", endpointA)),
                new ServerSpec("b", "enc1/bay2", "b", null, "M", "G", 8, 64, new Bmc("sim", "sim://enc1/bay2"))), null, null);
    }

    /** Records which BMC each call went to. */
    private record Fake(Bmc bmc, List<String> calls) implements PowerDriver {
        public void powerOff(String server, CallContext ctx) {
            calls.add("off " + server + " @" + bmc.endpoint());
        }

        public void powerOn(String server, CallContext ctx) {
            calls.add("on " + server + " @" + bmc.endpoint());
        }

        public PowerReading read(String server, CallContext ctx) {
            calls.add("read " + server + " @" + bmc.endpoint());
            return new PowerReading(PowerReading.Power.ON, PowerReading.Health.OK, "ok");
        }
    }

    @Test
    void powerOff_routesToTheServersBmc_andRebuildsWhenItsSettingsChange() throws Exception {
        List<String> calls = new ArrayList<>();
        List<Bmc> built = new ArrayList<>();
        AtomicReference<DataCenterConfig> config = new AtomicReference<>(dc("10.0.0.1"));
        BmcRouter router = new BmcRouter("ipmi", config::get, bmc -> {
            built.add(bmc);
            return new Fake(bmc, calls);
        });
        CallContext ctx = CallContext.probe(1);
        router.powerOff("a", ctx);
        router.read("a", ctx);
        config.set(dc("10.0.0.2"));
        router.powerOn("a", ctx);
        assertThat(calls).containsExactly("off a @10.0.0.1", "read a @10.0.0.1", "on a @10.0.0.2");
        assertThat(built).hasSize(2);
    }

    @Test
    void read_serverOfAnotherDriver_failsNamingIt() {
        BmcRouter router = new BmcRouter("ipmi", () -> dc("10.0.0.1"), bmc -> new Fake(bmc, new ArrayList<>()));
        BmcCheck c = router.check("b", CallContext.probe(1));
        assertThat(c.ok()).isFalse();
        assertThat(c.stages().get(0).detail()).contains("b uses BMC driver 'sim', not 'ipmi'");
    }
}
