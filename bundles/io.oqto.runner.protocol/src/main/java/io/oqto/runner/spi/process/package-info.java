/**
 * Launching a program for another runner bundle — the agent sessions start pi through it — the way the
 * process table spawns: in the workspace, sandboxed, under limits, listed with the user's processes.
 */
@Export
@Version("1.1.0")
@NullMarked
package io.oqto.runner.spi.process;

import org.jspecify.annotations.NullMarked;
import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
