package io.understudy.cli.launch;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Before a node starts: is each port it will listen on free? If not, one line saying which port, what holds it and
 * which option changes it — instead of the stack trace a Raft or HTTP server throws half-way through its start.
 */
final class PortCheck {
    private PortCheck() {}

    /** A port the node needs, and the option (and its default rule) that sets it. */
    record Need(String option, int port, String why) {}

    /** The first port in use, as an error line; null when all are free (port 0 picks a free one). */
    static String firstTaken(String bind, List<Need> needs) {
        for (Need n : needs) {
            if (n.port() == 0) continue;
            try (ServerSocket s = new ServerSocket()) {
                s.setReuseAddress(true);
                s.bind(new InetSocketAddress(InetAddress.getByName(bind), n.port()));
            } catch (IOException e) {
                return n.option() + ": port " + n.port() + " (" + n.why() + ") is already in use" + holder(n.port())
                        + "; choose another with " + n.option() + " N";
            }
        }
        return null;
    }

    private static final Pattern USER = Pattern.compile("users:\\(\\(\"([^\"]+)\",pid=(\\d+)");

    /** " by java (pid 1234)" from {@code ss}, or "" when it cannot tell (not installed, another user's process). */
    static String holder(int port) {
        try {
            Process p = new ProcessBuilder("ss", "-Hltnp", "sport = :" + port).redirectErrorStream(true).start();
            if (!p.waitFor(2, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return "";
            }
            Matcher m = USER.matcher(new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
            return m.find() ? " by " + m.group(1) + " (pid " + m.group(2) + ")" : "";
        } catch (IOException e) {
            return "";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "";
        }
    }
}
