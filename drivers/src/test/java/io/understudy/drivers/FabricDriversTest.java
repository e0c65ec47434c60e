package io.understudy.drivers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.understudy.model.config.Bmc;
import io.understudy.model.config.FcPort;
import io.understudy.model.config.ServerSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** How an enclosure's fabric driver is chosen; the provider here is a test double and says so. */
class FabricDriversTest {
    /** Remembers what it was made with; answers nothing about any real fabric. */
    record TestDouble(Map<String, String> settings) implements FabricDriver {
        @Override
        public void assign(ServerSpec server, List<FcPort> ports, CallContext ctx) {}

        @Override
        public void release(ServerSpec server, List<FcPort> ports, CallContext ctx) {}

        @Override
        public List<FcPort> assigned(ServerSpec server, CallContext ctx) {
            return List.of();
        }
    }

    private static final FabricDriver.Provider DOUBLE = new FabricDriver.Provider() {
        @Override
        public String name() {
            return "test-double";
        }

        @Override
        public FabricDriver create(Map<String, String> settings) {
            return new TestDouble(settings);
        }
    };

    private static ServerSpec at(String location) {
        return new ServerSpec("s", location, "s", null, "M", "G1", 1, 1, new Bmc("sim", "sim://" + location));
    }

    @Test
    void forServer_choosesTheDriverOfTheServersEnclosure_andNoneElsewhere() throws DriverException {
        FabricDrivers f = FabricDrivers.choose(Map.of("enc1", new FabricDrivers.Choice("test-double", Map.of("endpoint", "https://vc1"))), List.of(DOUBLE));

        assertThat(f.forServer(at("enc1/bay3"))).get().isEqualTo(new TestDouble(Map.of("endpoint", "https://vc1")));
        assertThat(f.forServer(at("enc2/bay3"))).isEmpty();
        assertThat(FabricDrivers.NONE.forServer(at("enc1/bay3"))).isEmpty();
    }

    @Test
    void choose_aProviderThatIsNotInstalled_failsNamingTheEnclosureAndWhatIsAvailable() {
        assertThatThrownBy(() -> FabricDrivers.choose(Map.of("enc1", new FabricDrivers.Choice("virtual-connect", null)), List.of(DOUBLE)))
                .isInstanceOf(DriverException.class)
                .hasMessageContaining("enclosure enc1 asks for fabric driver 'virtual-connect', which is not installed (available: [test-double])");
    }

    @Test
    void load_findsNoBuiltInProvider_soNothingPretendsToBeAnEnclosure() {
        List<String> names = new ArrayList<>();
        java.util.ServiceLoader.load(FabricDriver.Provider.class).forEach(p -> names.add(p.name()));
        assertThat(names).isEmpty();
        assertThatThrownBy(() -> FabricDrivers.load(Map.of("enc1", new FabricDrivers.Choice("virtual-connect", null))))
                .hasMessageContaining("not installed (available: [])");
    }
}
