/**
 * Memory on the runner's side: the memories a user keeps per workspace (mmry's model, services-spec §3), stored by the
 * embedded ledger or the user's mmry daemon, listed, changed and searched through the runner.
 */
@Export
@Version("1.0.0")
@NullMarked
package io.oqto.runner.spi.memory;

import org.jspecify.annotations.NullMarked;
import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
