/** A user's named programs (protocol 1.2): pi, the file server and ttyd, started in the sandbox and answered once ready. */
@Export
@Version("2.0.0")
@NullMarked
package io.oqto.api.runner.programs;

import org.jspecify.annotations.NullMarked;
import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
