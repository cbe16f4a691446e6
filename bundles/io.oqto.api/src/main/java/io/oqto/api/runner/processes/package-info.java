/**
 * A user's processes (protocol 1.1, 1.2): spawned in the workspace, sandboxed and under limits, named by the
 * caller; their numbered output, read or followed as events.
 */
@Export
@Version("2.0.0")
@NullMarked
package io.oqto.api.runner.processes;

import org.jspecify.annotations.NullMarked;
import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
