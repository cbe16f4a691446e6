/**
 * Launching a program for another runner bundle — the agent sessions start pi through it — the way the
 * process table spawns: in the workspace, sandboxed, under limits, listed with the user's processes.
 */
@Export
@Version("2.0.0")
@NullMarked
package io.oqto.api.process;

import org.jspecify.annotations.NullMarked;
import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
