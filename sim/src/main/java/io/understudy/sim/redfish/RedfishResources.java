package io.understudy.sim.redfish;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.understudy.drivers.PowerReading;
import io.understudy.model.config.ServerSpec;
import java.util.Collection;

/** The Redfish resources the simulated BMCs serve, as DMTF schemas shape them (ServiceRoot, ComputerSystem, Chassis, …). */
final class RedfishResources {
    static final ObjectMapper JSON = new ObjectMapper();
    static final String V1 = "/redfish/v1";
    static final String SYSTEMS = V1 + "/Systems";
    static final String CHASSIS = V1 + "/Chassis";
    static final String SESSIONS = V1 + "/SessionService/Sessions";
    static final String SUBSCRIPTIONS = V1 + "/EventService/Subscriptions";
    static final java.util.List<String> RESET_TYPES = java.util.List.of("On", "ForceOff", "GracefulShutdown", "ForceRestart");

    private RedfishResources() {}

    static ObjectNode root(boolean sessions) {
        ObjectNode n = resource(V1 + "/", "#ServiceRoot.v1_11_0.ServiceRoot", "RootService", "understudy simulated BMC");
        n.put("RedfishVersion", "1.15.0").put("UUID", "00000000-0000-0000-0000-0000756e6465").put("Vendor", "understudy-sim");
        link(n, "Systems", SYSTEMS);
        link(n, "Chassis", CHASSIS);
        link(n, "Managers", V1 + "/Managers");
        link(n, "EventService", V1 + "/EventService");
        if (sessions) {
            link(n, "SessionService", V1 + "/SessionService");
            link(n.putObject("Links"), "Sessions", SESSIONS);
        } else {
            n.putObject("Links");
        }
        return n;
    }

    static ObjectNode collection(String path, String type, String name, Collection<String> members) {
        ObjectNode n = resource(path, type, null, name);
        ArrayNode m = n.putArray("Members");
        members.forEach(id -> m.addObject().put("@odata.id", id));
        n.put("Members@odata.count", members.size());
        return n;
    }

    static ObjectNode system(ServerSpec spec, PowerReading r) {
        String path = SYSTEMS + "/" + spec.id();
        ObjectNode n = resource(path, "#ComputerSystem.v1_20_0.ComputerSystem", spec.id(), "Computer System " + spec.id());
        n.put("HostName", spec.hostname()).put("Manufacturer", "understudy-sim").put("Model", spec.model())
                .put("SerialNumber", serial(spec)).put("SystemType", "Physical");
        n.put("PowerState", r.power() == PowerReading.Power.ON ? "On" : "Off");
        ObjectNode status = n.putObject("Status");
        String health = switch (r.health()) {
            case OK -> "OK";
            case WARNING -> "Warning";
            case CRITICAL -> "Critical";
            case UNKNOWN -> null;   // Redfish leaves Health null when it has nothing to report
        };
        status.put("State", "Enabled").put("Health", health).put("HealthRollup", health);
        if (r.health() == PowerReading.Health.WARNING || r.health() == PowerReading.Health.CRITICAL) {
            status.putArray("Conditions").addObject().put("Message", r.detail()).put("Severity", health)
                    .put("MessageId", "Base.1.0.GeneralError");
        }
        ObjectNode reset = n.putObject("Actions").putObject("#ComputerSystem.Reset");
        reset.put("target", path + "/Actions/ComputerSystem.Reset");
        ArrayNode allowed = reset.putArray("ResetType@Redfish.AllowableValues");
        RESET_TYPES.forEach(allowed::add);
        n.putObject("Links").putArray("Chassis").addObject().put("@odata.id", CHASSIS + "/" + spec.id());
        return n;
    }

    static ObjectNode chassis(ServerSpec spec) {
        ObjectNode n = resource(CHASSIS + "/" + spec.id(), "#Chassis.v1_14_0.Chassis", spec.id(), "Chassis " + spec.location());
        n.put("ChassisType", "Blade").put("Manufacturer", "understudy-sim").put("Model", spec.model())
                .put("SerialNumber", serial(spec)).put("PartNumber", spec.generation());
        n.putObject("Location").putObject("PartLocation").put("ServiceLabel", spec.location());
        n.putObject("Links").putArray("ComputerSystems").addObject().put("@odata.id", SYSTEMS + "/" + spec.id());
        return n;
    }

    static ObjectNode sessionService() {
        ObjectNode n = resource(V1 + "/SessionService", "#SessionService.v1_1_8.SessionService", "SessionService", "Session Service");
        n.put("ServiceEnabled", true).put("SessionTimeout", 1800);
        link(n, "Sessions", SESSIONS);
        return n;
    }

    static ObjectNode session(String id, String user) {
        return resource(SESSIONS + "/" + id, "#Session.v1_5_0.Session", id, "User Session").put("UserName", user);
    }

    static ObjectNode eventService() {
        ObjectNode n = resource(V1 + "/EventService", "#EventService.v1_7_0.EventService", "EventService", "Event Service");
        n.put("ServiceEnabled", true).put("DeliveryRetryAttempts", 3).put("DeliveryRetryIntervalSeconds", 1);
        n.putArray("EventTypesForSubscription").add("Alert");
        link(n, "Subscriptions", SUBSCRIPTIONS);
        return n;
    }

    static ObjectNode error(String messageId, String message) {
        ObjectNode n = JSON.createObjectNode();
        ObjectNode e = n.putObject("error");
        e.put("code", messageId).put("message", message);
        e.putArray("@Message.ExtendedInfo").addObject().put("MessageId", messageId).put("Message", message).put("Severity", "Critical");
        return n;
    }

    static String serial(ServerSpec spec) {
        return "SIM-" + spec.location().replace('/', '-').toUpperCase();
    }

    private static ObjectNode resource(String path, String type, String id, String name) {
        ObjectNode n = JSON.createObjectNode();
        n.put("@odata.id", path).put("@odata.type", type);
        if (id != null) n.put("Id", id);
        n.put("Name", name);
        return n;
    }

    private static void link(ObjectNode n, String field, String path) {
        n.putObject(field).put("@odata.id", path);
    }
}
