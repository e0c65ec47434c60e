package io.understudy.cli.launch;

import io.understudy.sim.DemoDataCenter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code understudy demo}: the server on an embedded simulated data center: a cold group, a hot group, a lockstep pair. */
@Command(name = "demo", description = "Run understudy on an embedded simulated data center (2 enclosures x 8 bays, a cold and a hot group;"
        + " a third enclosure with a lockstep pair running the example key-value service on real members).")
public final class DemoCommand implements Callable<Integer> {
    @Mixin
    ServeOptions options;

    /** Hidden: a bigger fleet for measuring the page and the engine (N regulars per group, 2N + 4 servers). */
    @Option(names = "--regulars-per-group", hidden = true, defaultValue = "6")
    int regularsPerGroup;

    @Option(names = "--no-lockstep", description = "Leave the lockstep pair (enclosure enc3, profile ledger) out.")
    boolean noLockstep;

    @Override
    public Integer call() throws Exception {
        if (options.speed == null) options.speed = 10.0;
        Path dir = options.dataDir != null ? options.dataDir : io.understudy.cli.client.ClientConfig.dataHome(System.getenv()).resolve("demo");
        if (regularsPerGroup < 1) {
            System.err.println("error: --regulars-per-group: expected a positive number, got " + regularsPerGroup);
            return 2;
        }
        var config = DemoDataCenter.build(regularsPerGroup);
        return Serve.run(options, dir, noLockstep ? config : DemoDataCenter.withLedgerPair(config), true);
    }
}
