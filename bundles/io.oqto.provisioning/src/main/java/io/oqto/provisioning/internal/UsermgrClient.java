package io.oqto.provisioning.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.oqto.api.users.ProvisioningException;
import io.oqto.api.users.ProvisioningException.Kind;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.newsclub.net.unix.AFUNIXSocket;
import org.newsclub.net.unix.AFUNIXSocketAddress;

/**
 * Talks to {@code oqto-usermgr} over its socket: a connection per request, one JSON line each way. The
 * helper must be root (checked from the peer credentials) so nothing else can pose as it.
 */
final class UsermgrClient implements Helper {

    /** The helper's own JSON, not the runner protocol's: plain data binding. */
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path socket;
    private final Duration timeout;

    UsermgrClient(Path socket, Duration timeout) {
        this.socket = socket;
        this.timeout = timeout;
    }

    @Override
    public Map<String, Object> call(String cmd, Map<String, Object> args) {
        try (AFUNIXSocket s = AFUNIXSocket.newInstance()) {
            try {
                s.connect(AFUNIXSocketAddress.of(socket), 2000);
            } catch (IOException e) {
                throw new ProvisioningException(
                        Kind.UNAVAILABLE,
                        cmd,
                        "the root helper oqto-usermgr does not answer on " + socket + " (" + e.getMessage()
                                + "); is oqto-usermgr.service running?");
            }
            long peer = s.getPeerCredentials().getUid();
            if (peer != 0) {
                throw new ProvisioningException(
                        Kind.UNAVAILABLE,
                        cmd,
                        socket + " is served by uid " + peer + ", not by root; refusing to talk to it");
            }
            s.setSoTimeout((int) timeout.toMillis());
            OutputStream out = s.getOutputStream();
            out.write((JSON.writeValueAsString(Map.of("cmd", cmd, "args", args)) + "\n")
                    .getBytes(StandardCharsets.UTF_8));
            out.flush();
            String line =
                    new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8)).readLine();
            if (line == null) {
                throw new ProvisioningException(
                        Kind.FAILED, cmd, "oqto-usermgr closed the connection without an answer");
            }
            return outcome(cmd, line);
        } catch (IOException e) {
            throw new ProvisioningException(Kind.FAILED, cmd, "talking to oqto-usermgr: " + e.getMessage(), e);
        }
    }

    /** The data of an {@code ok} answer; a rejection (bad input) or failure as an exception. */
    @SuppressWarnings("unchecked")
    static Map<String, Object> outcome(String cmd, String line) throws IOException {
        Object answer;
        try {
            answer = JSON.readValue(line, Object.class);
        } catch (JsonProcessingException e) {
            throw new ProvisioningException(
                    Kind.FAILED, cmd, "oqto-usermgr answered something else than JSON: " + line);
        }
        if (!(answer instanceof Map<?, ?> m) || !(m.get("ok") instanceof Boolean ok)) {
            throw new ProvisioningException(
                    Kind.FAILED, cmd, "oqto-usermgr answered something else than {\"ok\":…}: " + line);
        }
        if (!ok) {
            String error = String.valueOf(m.get("error"));
            throw new ProvisioningException(error.startsWith("rejected: ") ? Kind.INVALID : Kind.FAILED, cmd, error);
        }
        return m.get("data") instanceof Map<?, ?> d ? (Map<String, Object>) d : Map.of();
    }
}
