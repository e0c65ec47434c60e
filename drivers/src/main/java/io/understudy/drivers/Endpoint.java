package io.understudy.drivers;

/** A BMC's host and port as configured ({@code host}, {@code host:port}, {@code ipmi://host:port}, {@code [v6]:port}). */
public record Endpoint(String host, int port) {
    public static Endpoint parse(String endpoint, int defaultPort) throws DriverException {
        if (endpoint == null || endpoint.isBlank()) throw new DriverException(DriverException.Kind.FAILED, "no BMC endpoint configured");
        String e = endpoint.replaceFirst("^[a-z]+://", "");
        try {
            if (e.startsWith("[")) {
                int close = e.indexOf(']');
                String host = e.substring(1, close);
                return new Endpoint(host, close + 1 < e.length() ? Integer.parseInt(e.substring(close + 2)) : defaultPort);
            }
            int colon = e.lastIndexOf(':');
            return colon < 0 ? new Endpoint(e, defaultPort) : new Endpoint(e.substring(0, colon), Integer.parseInt(e.substring(colon + 1)));
        } catch (RuntimeException ex) {
            throw new DriverException(DriverException.Kind.FAILED, "bad BMC endpoint '" + endpoint + "': expected HOST or HOST:PORT");
        }
    }

    @Override
    public String toString() {
        return (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
    }
}
