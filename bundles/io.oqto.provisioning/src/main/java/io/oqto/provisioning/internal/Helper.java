package io.oqto.provisioning.internal;

import java.util.Map;

/** One request to the root helper: its {@code data} on success, a {@code ProvisioningException} otherwise. */
interface Helper {

    Map<String, Object> call(String cmd, Map<String, Object> args);
}
