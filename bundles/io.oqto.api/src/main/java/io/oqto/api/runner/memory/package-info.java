/**
 * A user's memories through their runner (protocol 1.6): per workspace directory, kept by the embedded ledger or the
 * user's mmry daemon; listed, created, changed, deleted and searched.
 */
@Export
@Version("1.0.0")
@NullMarked
package io.oqto.api.runner.memory;

import org.jspecify.annotations.NullMarked;
import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
