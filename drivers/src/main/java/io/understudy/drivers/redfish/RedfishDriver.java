package io.understudy.drivers.redfish;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.understudy.drivers.BmcCheck;
import io.understudy.drivers.CallContext;
import io.understudy.drivers.Credentials;
import io.understudy.drivers.DriverException;
import io.understudy.drivers.DriverException.Kind;
import io.understudy.drivers.PowerDriver;
import io.understudy.drivers.PowerReading;
import io.understudy.model.config.Bmc;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Power control of one server through its Redfish (DMTF) BMC: the service root is discovered, a session opened
 * (basic authentication where none is offered), power ordered with {@code ComputerSystem.Reset} and read back from
 * {@code PowerState} — the HTTP status of a reset is checked, and only a {@code PowerState} of {@code Off} reads off.
 */
public final class RedfishDriver implements PowerDriver {
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);

    /** The reset types understudy orders. */
    public enum ResetType { ForceOff, On, GracefulShutdown, ForceRestart }

    /** What the chassis says it is, for inventory. */
    public record Inventory(String manufacturer, String model, String serial) {}

    private final RedfishClient client;
    private final String configuredSystem;
    private volatile String system;

    public RedfishDriver(Bmc bmc) throws DriverException {
        if (bmc.endpoint() == null) throw new DriverException(Kind.FAILED, "no Redfish endpoint configured");
        URI uri;
        try {
            uri = URI.create(bmc.endpoint());
        } catch (IllegalArgumentException e) {
            throw new DriverException(Kind.FAILED, "bad Redfish endpoint '" + bmc.endpoint() + "'");
        }
        if (!"https".equals(uri.getScheme())) throw new DriverException(Kind.FAILED, "Redfish endpoint must be https://, got " + uri.getScheme());
        this.client = new RedfishClient(URI.create("https://" + uri.getRawAuthority() + "/"), RedfishTls.context(bmc),
                bmc.timeoutOr(DEFAULT_TIMEOUT), () -> Credentials.of(bmc));
        String path = uri.getPath();
        this.configuredSystem = path != null && path.startsWith("/redfish/v1/Systems/") ? path.replaceAll("/$", "") : null;
    }

    @Override
    public void powerOff(String server, CallContext ctx) throws DriverException {
        reset(server, ResetType.ForceOff, ctx);
    }

    @Override
    public void powerOn(String server, CallContext ctx) throws DriverException {
        reset(server, ResetType.On, ctx);
    }

    /**
     * Orders a reset, once (never repeated here: many BMCs start a power action over on each new order). ForceOff and
     * On are skipped when the power state is already there (idempotent; many BMCs refuse a redundant reset), and a
     * refused reset that left the power where it was wanted still succeeds. A state on its way ("PoweringOff") is
     * ordered all the same: a graceful shutdown in progress reads so too, and a fence must not wait for it. A BMC
     * that answers it is busy with an earlier action throws {@code BUSY}.
     */
    public void reset(String server, ResetType type, CallContext ctx) throws DriverException {
        JsonNode sys = client.get(system(ctx), ctx);
        String wanted = type == ResetType.ForceOff || type == ResetType.GracefulShutdown ? "Off" : type == ResetType.On ? "On" : null;
        if (wanted != null && wanted.equals(sys.path("PowerState").asText())) return;
        JsonNode action = sys.path("Actions").path("#ComputerSystem.Reset");
        String target = action.path("target").asText(system(ctx) + "/Actions/ComputerSystem.Reset");
        JsonNode allowed = action.path("ResetType@Redfish.AllowableValues");
        if (allowed.isArray() && allowed.size() > 0 && !contains(allowed, type.name())) {
            throw new DriverException(Kind.FAILED, "BMC of " + server + " does not offer ResetType " + type + " (offers " + allowed + ")");
        }
        RedfishClient.Reply r = client.post(target, RedfishClient.JSON.createObjectNode().put("ResetType", type.name()), ctx);
        if (r.ok()) return;
        if (wanted != null && wanted.equals(client.get(system(ctx), ctx).path("PowerState").asText())) return;
        throw client.errorOf(r, "reset " + type + " of " + server);
    }

    @Override
    public PowerReading read(String server, CallContext ctx) throws DriverException {
        return reading(server, client.get(system(ctx), ctx));
    }

    static PowerReading reading(String server, JsonNode sys) throws DriverException {
        String state = sys.path("PowerState").asText(null);
        if (state == null) throw new DriverException(Kind.FAILED, "BMC of " + server + " reports no PowerState");
        // Only "Off" is off: "PoweringOff" has not happened yet, and a fence must not count it.
        PowerReading.Power power = "Off".equals(state) ? PowerReading.Power.OFF : PowerReading.Power.ON;
        JsonNode status = sys.path("Status");
        // A BMC that leaves Health out (or null, as many do while the host is off) measured nothing: unknown, not OK.
        PowerReading.Health health = worse(health(status.path("Health").asText("")), health(status.path("HealthRollup").asText("")));
        JsonNode conditions = status.path("Conditions");
        String detail = conditions.isArray() && conditions.size() > 0 ? conditions.get(0).path("Message").asText("")
                : health == PowerReading.Health.OK ? "ok" : health == PowerReading.Health.UNKNOWN ? "no health reported"
                : "health " + status.path("Health").asText();
        return new PowerReading(power, health, "PowerState " + state + (detail.isEmpty() ? "" : "; " + detail));
    }

    /** Model and serial number from the system's chassis (or the system itself when it links no chassis). */
    public Inventory inventory(CallContext ctx) throws DriverException {
        JsonNode sys = client.get(system(ctx), ctx);
        JsonNode link = sys.path("Links").path("Chassis");
        JsonNode src = link.isArray() && link.size() > 0 ? client.get(link.get(0).path("@odata.id").asText(), ctx) : sys;
        return new Inventory(src.path("Manufacturer").asText(null), src.path("Model").asText(null), src.path("SerialNumber").asText(null));
    }

    @Override
    public BmcCheck check(String server, CallContext ctx) {
        List<BmcCheck.Stage> stages = new ArrayList<>();
        try {
            JsonNode root = client.root(ctx);
            stages.add(BmcCheck.Stage.ok("reach", "Redfish " + root.path("RedfishVersion").asText("?") + " at " + client.base().getAuthority()
                    + (root.hasNonNull("Vendor") ? " (" + root.get("Vendor").asText() + ")" : "") + ", TLS certificate trusted"));
        } catch (DriverException e) {
            stages.add(BmcCheck.Stage.failed("reach", e));
            return new BmcCheck(stages);
        }
        try {
            stages.add(BmcCheck.Stage.ok("log in", client.login(ctx)));
        } catch (DriverException e) {
            stages.add(BmcCheck.Stage.failed("log in", e));
            return new BmcCheck(stages);
        }
        try {
            PowerReading r = read(server, ctx);
            String inv;
            try {
                Inventory i = inventory(ctx);
                inv = "; model " + i.model() + ", serial " + i.serial();
            } catch (DriverException e) {
                inv = "; no inventory: " + e.getMessage();
            }
            stages.add(BmcCheck.Stage.ok("read power state", BmcCheck.describe(r) + " at " + system(ctx) + inv));
        } catch (DriverException e) {
            stages.add(BmcCheck.Stage.failed("read power state", e));
        }
        return new BmcCheck(stages);
    }

    /**
     * Subscribes {@code destination} to the BMC's alerts, with {@code context} echoed in every event. Empty when the
     * BMC offers no event service. Asks for this system's events only, and retries plainly if the BMC refuses filters.
     */
    public Optional<String> subscribe(URI destination, String context, CallContext ctx) throws DriverException {
        JsonNode root = client.root(ctx);
        String service = root.path("EventService").path("@odata.id").asText(null);
        if (service == null) return Optional.empty();
        JsonNode es = client.get(service, ctx);
        if (!es.path("ServiceEnabled").asBoolean(true)) return Optional.empty();
        String subs = es.path("Subscriptions").path("@odata.id").asText(service + "/Subscriptions");
        ObjectNode body = RedfishClient.JSON.createObjectNode().put("Destination", destination.toString())
                .put("Protocol", "Redfish").put("Context", context);
        ObjectNode filtered = body.deepCopy();
        filtered.putArray("EventTypes").add("Alert");
        filtered.putArray("OriginResources").addObject().put("@odata.id", system(ctx));
        RedfishClient.Reply r = client.post(subs, filtered, ctx);
        if (r.status() == 400) r = client.post(subs, body, ctx);
        if (!r.ok()) throw client.errorOf(r, "event subscription");
        return Optional.of(r.location() == null ? subs : r.location());
    }

    /** Ends our session on the BMC. */
    public void close(CallContext ctx) {
        client.logout(ctx);
    }

    private String system(CallContext ctx) throws DriverException {
        if (configuredSystem != null) return configuredSystem;
        String s = system;
        if (s != null) return s;
        JsonNode root = client.root(ctx);
        String systems = root.path("Systems").path("@odata.id").asText("/redfish/v1/Systems");
        JsonNode members = client.get(systems, ctx).path("Members");
        if (!members.isArray() || members.size() != 1) {
            throw new DriverException(Kind.FAILED, "BMC " + client.base().getAuthority() + " has " + (members.isArray() ? members.size() : 0)
                    + " systems: name one in the endpoint (https://HOST/redfish/v1/Systems/ID)");
        }
        system = members.get(0).path("@odata.id").asText();
        return system;
    }

    private static boolean contains(JsonNode array, String value) {
        for (JsonNode n : array) if (value.equals(n.asText())) return true;
        return false;
    }

    private static PowerReading.Health health(String h) {
        return switch (h) {
            case "Critical" -> PowerReading.Health.CRITICAL;
            case "Warning" -> PowerReading.Health.WARNING;
            case "OK" -> PowerReading.Health.OK;
            default -> PowerReading.Health.UNKNOWN;
        };
    }

    private static PowerReading.Health worse(PowerReading.Health a, PowerReading.Health b) {
        return a.compareTo(b) >= 0 ? a : b;
    }
}
