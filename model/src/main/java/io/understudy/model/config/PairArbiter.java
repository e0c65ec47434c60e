package io.understudy.model.config;

/**
 * Where a lockstep pair's arbiter runs, on a control-plane host: the node whose machine has the address's host runs it
 * (it keeps the pair's input log and breaks ties; it runs no service). The pair's Raft group is then the primary (the
 * profile's home; member id its server id, at its address and {@code memberPort}), the twin (the group's spare, the
 * same way) and the arbiter (member id {@code arbiter}, at {@code address}) — the {@code --peers} each member is started with.
 *
 * @param address    HOST:PORT the arbiter's Raft server listens on
 * @param memberPort the Raft port of the pair's members on their servers
 */
public record PairArbiter(String address, Integer memberPort) {
    /** The arbiter's member id in the pair's group. */
    public static final String ID = "arbiter";

    /** The host part of {@link #address}, or null when it is not HOST:PORT. */
    public String host() {
        int colon = address == null ? -1 : address.lastIndexOf(':');
        return colon <= 0 ? null : address.substring(0, colon);
    }

    /** The port part of {@link #address}, or -1 when it is not HOST:PORT with a number. */
    public int port() {
        int colon = address == null ? -1 : address.lastIndexOf(':');
        if (colon <= 0 || !address.substring(colon + 1).matches("\\d{1,5}")) return -1;
        return Integer.parseInt(address.substring(colon + 1));
    }
}
