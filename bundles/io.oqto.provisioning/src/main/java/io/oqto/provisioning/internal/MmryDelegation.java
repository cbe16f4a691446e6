package io.oqto.provisioning.internal;

import io.oqto.api.unix.KeyReference;
import io.oqto.api.users.ProvisioningException;
import io.oqto.api.users.ProvisioningException.Kind;
import java.io.IOException;
import java.util.HashMap;
import java.util.Map;

/**
 * The step {@code mmry-config}: with a central embeddings service ({@code [memory] embeddings_url}), each new user's
 * mmry gets a {@code ~/.config/mmry/config.toml} delegating embeddings to it (services-spec §3.2), written by the root
 * helper as the user, 0600, with the service's key read here from its reference.
 *
 * @param embeddingsUrl empty when there is no central service
 * @param keyReference {@code file:/PATH} or {@code env:NAME}; empty: the service needs no key
 */
record MmryDelegation(String embeddingsUrl, String keyReference) {

    static final String STEP = "mmry-config";
    static final MmryDelegation NONE = new MmryDelegation("", "");

    boolean configured() {
        return !embeddingsUrl.isEmpty();
    }

    void write(Helper helper, String linuxUser) {
        Map<String, Object> args = new HashMap<>();
        args.put("username", linuxUser);
        args.put("embeddings_url", embeddingsUrl);
        try {
            args.put("api_key", KeyReference.resolve(keyReference));
        } catch (IOException e) {
            throw new ProvisioningException(Kind.FAILED, STEP, "[memory] embeddings_key: " + e.getMessage(), e);
        }
        try {
            helper.call("write-mmry-config", args);
        } catch (ProvisioningException e) {
            throw new ProvisioningException(e.kind(), STEP, e.getMessage(), e);
        }
    }
}
