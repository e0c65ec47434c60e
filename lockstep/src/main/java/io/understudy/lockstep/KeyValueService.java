package io.understudy.lockstep;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.TreeMap;

/**
 * The example lockstep service: a key-value store of strings. Inputs are text commands — {@code put KEY VALUE},
 * {@code get KEY}, {@code incr KEY} (a counter: the value as a number plus one), {@code del KEY}, {@code size} — and
 * replies are text: the value (empty when absent), {@code ok}, or {@code error: why}. Its state lives in memory and in
 * the pair's log and snapshots on disk, so a member that restarts finds it again.
 */
public final class KeyValueService implements DeterministicService {
    private final TreeMap<String, String> map = new TreeMap<>();

    @Override
    public byte[] apply(byte[] input) {
        return reply(new String(input, StandardCharsets.UTF_8)).getBytes(StandardCharsets.UTF_8);
    }

    private String reply(String command) {
        String[] w = command.split(" ", 3);
        switch (w[0]) {
            case "put":
                if (w.length < 3) return "error: expected put KEY VALUE";
                map.put(w[1], w[2]);
                return "ok";
            case "get":
                if (w.length < 2) return "error: expected get KEY";
                return map.getOrDefault(w[1], "");
            case "incr":
                if (w.length < 2) return "error: expected incr KEY";
                long n;
                try {
                    n = Long.parseLong(map.getOrDefault(w[1], "0")) + 1;
                } catch (NumberFormatException e) {
                    return "error: " + w[1] + " holds no number";
                }
                map.put(w[1], Long.toString(n));
                return Long.toString(n);
            case "del":
                if (w.length < 2) return "error: expected del KEY";
                String old = map.remove(w[1]);
                return old == null ? "" : old;
            case "size":
                return Integer.toString(map.size());
            default:
                return "error: unknown command '" + w[0] + "' (expected put, get, incr, del or size)";
        }
    }

    @Override
    public void snapshot(OutputStream out) throws IOException {
        DataOutputStream d = new DataOutputStream(out);
        d.writeInt(map.size());
        for (Map.Entry<String, String> e : map.entrySet()) {
            d.writeUTF(e.getKey());
            byte[] v = e.getValue().getBytes(StandardCharsets.UTF_8);
            d.writeInt(v.length);
            d.write(v);
        }
        d.flush();
    }

    @Override
    public void restore(InputStream in) throws IOException {
        DataInputStream d = new DataInputStream(in);
        map.clear();
        int n = d.readInt();
        for (int i = 0; i < n; i++) {
            String k = d.readUTF();
            byte[] v = d.readNBytes(d.readInt());
            map.put(k, new String(v, StandardCharsets.UTF_8));
        }
    }
}
