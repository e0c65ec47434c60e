package io.understudy.cli.client;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.Proxy;
import java.net.SocketTimeoutException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * One HTTP/1.1 request and its answer, over {@link HttpURLConnection}. The CLI uses it rather than java.net.http
 * because that client sets up TLS and a selector thread when it is built, even for a plain-http call: about a fifth
 * of a client command's start (BENCHMARKS.md, issue 12).
 */
final class HttpCall {
    /** The status and the body as text (UTF-8, as the API writes it). */
    record Response(int status, String body) {}

    /** No connection within the connect timeout: nothing was sent. */
    static final class ConnectTimeout extends IOException {
        ConnectTimeout(String message) {
            super(message);
        }
    }

    /** Connected and sent, but the answer did not come within the request timeout: the request may have been applied. */
    static final class AnswerTimeout extends IOException {
        AnswerTimeout(String message) {
            super(message);
        }
    }

    private final int connectMillis;
    private final int answerMillis;

    HttpCall(Duration connectTimeout, Duration answerTimeout) {
        this.connectMillis = Math.toIntExact(connectTimeout.toMillis());
        this.answerMillis = Math.toIntExact(answerTimeout.toMillis());
    }

    /** Sends {@code body} (null for none) with the given headers; a non-2xx status is an answer, not an exception. */
    Response send(String method, String url, String body, String... headers) throws IOException {
        // No proxy and no redirects, as java.net.http did by default: the CLI talks to the node it was given.
        HttpURLConnection c = (HttpURLConnection) new URL(url).openConnection(Proxy.NO_PROXY);
        try {
            c.setInstanceFollowRedirects(false);
            c.setUseCaches(false);
            c.setConnectTimeout(connectMillis);
            // Bounds each wait for the answer's bytes (java.net.http bounded the wait for its headers): the same for
            // the API's small answers.
            c.setReadTimeout(answerMillis);
            c.setRequestMethod(method);
            for (int i = 0; i + 1 < headers.length; i += 2) c.setRequestProperty(headers[i], headers[i + 1]);
            byte[] bytes = body == null ? null : body.getBytes(StandardCharsets.UTF_8);
            if (bytes == null && !method.equals("GET")) bytes = new byte[0];
            if (bytes != null) {
                c.setDoOutput(true);
                // A fixed length also stops HttpURLConnection from silently sending a POST again after a dropped connection.
                c.setFixedLengthStreamingMode(bytes.length);
            }
            try {
                c.connect();
            } catch (SocketTimeoutException e) {
                throw new ConnectTimeout("connect timed out");
            }
            try {
                if (bytes != null) {
                    try (OutputStream out = c.getOutputStream()) {
                        out.write(bytes);
                    }
                }
                int status = c.getResponseCode();
                InputStream in = status >= 400 ? c.getErrorStream() : c.getInputStream();
                return new Response(status, in == null ? "" : read(in));
            } catch (SocketTimeoutException e) {
                throw new AnswerTimeout("no answer in time");
            }
        } finally {
            c.disconnect();
        }
    }

    private static String read(InputStream in) throws IOException {
        try (in) {
            ByteArrayOutputStream buf = new ByteArrayOutputStream();
            in.transferTo(buf);
            return buf.toString(StandardCharsets.UTF_8);
        }
    }
}
