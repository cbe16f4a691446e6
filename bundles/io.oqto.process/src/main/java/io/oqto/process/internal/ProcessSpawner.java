package io.oqto.process.internal;

import io.oqto.runner.protocol.ProtocolException;
import java.io.IOException;

/**
 * Spawning into the user's process table: what the named programs and other bundles' launches are built on,
 * so they depend on this and not on the table itself.
 */
interface ProcessSpawner {

    /** Spawns (sandboxed unless asked otherwise, always under limits) and tracks the process by its name. */
    ManagedProcess spawn(SpawnRequest request) throws ProtocolException, IOException, InterruptedException;
}
