/**
 * A user's agent sessions (protocol 1.2): pi in RPC mode per session, its commands, and its numbered events
 * (docs/agent-events.md).
 */
@Export
@Version("3.1.0")
@NullMarked
package io.oqto.api.runner.sessions;

import org.jspecify.annotations.NullMarked;
import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
