/**
 * Workspace files (protocol 1.1): every path is relative to the user's workspace and confined to it by the
 * runner ({@link io.oqto.api.runner.ErrorCode#PATH_NOT_ALLOWED} otherwise).
 */
@Export
@Version("2.1.0")
@NullMarked
package io.oqto.api.runner.files;

import org.jspecify.annotations.NullMarked;
import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
