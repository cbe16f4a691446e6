package io.oqto.provisioning.internal;

import io.oqto.api.unix.KeyReference;
import io.oqto.api.unix.UserPorts;
import io.oqto.api.users.ProvisioningException;
import io.oqto.api.users.ProvisioningException.Kind;
import java.io.IOException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The step {@code mmry-config}: oqto's part of each new user's {@code ~/.config/mmry/config.toml}, written by the root
 * helper as the user, 0600. With a central embeddings service ({@code [memory] embeddings_url}) the user's mmry
 * delegates embeddings to it (services-spec §3.2), with the service's key read here from its reference. With one mmry
 * per user ({@code [memory] mmry_url} carrying {@code {port}}) the user's mmry serves its HTTP API on the port the
 * user's uid gives, behind a key made here for that user alone and kept nowhere but in the user's files: the runner,
 * running as the user, reads it from there.
 *
 * @param embeddingsUrl empty when there is no central service
 * @param keyReference {@code file:/PATH} or {@code env:NAME}; empty: the service needs no key
 * @param perUser the rule for a user's mmry port; null when users do not run their own mmry
 */
record MmryConfigStep(
        String embeddingsUrl, String keyReference, @Nullable UserPorts perUser) {

    static final String STEP = "mmry-config";
    static final MmryConfigStep NONE = new MmryConfigStep("", "", null);
    private static final SecureRandom RANDOM = new SecureRandom();

    boolean configured() {
        return !embeddingsUrl.isEmpty() || perUser != null;
    }

    void write(Helper helper, String linuxUser, int uid) {
        Map<String, Object> args = new HashMap<>();
        args.put("username", linuxUser);
        args.put("embeddings_url", embeddingsUrl.isEmpty() ? null : embeddingsUrl);
        try {
            args.put("api_key", KeyReference.resolve(keyReference));
        } catch (IOException e) {
            throw new ProvisioningException(Kind.FAILED, STEP, "[memory] embeddings_key: " + e.getMessage(), e);
        }
        UserPorts ports = perUser;
        if (ports != null) {
            try {
                args.put("port", ports.port(uid));
            } catch (IllegalStateException e) {
                throw new ProvisioningException(Kind.FAILED, STEP, "[memory] mmry_url: " + e.getMessage(), e);
            }
            byte[] key = new byte[32];
            RANDOM.nextBytes(key);
            args.put("user_key", Base64.getUrlEncoder().withoutPadding().encodeToString(key));
        } else {
            args.put("port", null);
            args.put("user_key", null);
        }
        try {
            helper.call("write-mmry-config", args);
        } catch (ProvisioningException e) {
            throw new ProvisioningException(e.kind(), STEP, e.getMessage(), e);
        }
    }
}
