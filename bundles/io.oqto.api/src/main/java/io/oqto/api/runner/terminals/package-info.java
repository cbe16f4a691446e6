/**
 * A user's terminals (protocol 1.9): a shell in the user's sandbox, in the workspace, served by ttyd or the
 * runner's own oqto-tty on a Unix socket; {@link ConnectTerminal} hands its one connection over to the caller
 * (docs/terminals.md).
 */
@Export
@Version("1.0.0")
@NullMarked
package io.oqto.api.runner.terminals;

import org.jspecify.annotations.NullMarked;
import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
