package io.understudy.engine.job;

import io.understudy.model.config.Identity;
import io.understudy.model.config.ServerSpec;

/** Names the source server and captures the identity that will move, so the job record says what it moved. */
final class IdentifySource implements JobStep {
    @Override
    public String name() {
        return "identify-source";
    }

    @Override
    public Outcome run(StepContext c) {
        ServerSpec src = c.server(c.job().source());
        Identity id = c.profile().identity();
        StringBuilder b = new StringBuilder();
        b.append(src.id()).append(" at ").append(src.location()).append(" (").append(src.model());
        if (src.generation() != null) b.append(' ').append(src.generation());
        b.append(") runs ").append(c.profile().id()).append(": host ").append(id.hostname());
        if (!id.addresses().isEmpty()) b.append(", addresses ").append(String.join(" ", id.addresses()));
        if (!id.macs().isEmpty()) b.append(", MACs ").append(String.join(" ", id.macs()));
        if (!id.fcPorts().isEmpty()) {
            b.append(", WWPNs ");
            id.fcPorts().forEach(p -> b.append(p.wwpn()).append(p.bootFromSan() ? " (boot)" : "").append(' '));
        }
        return Outcome.done(b.toString().trim());
    }
}
