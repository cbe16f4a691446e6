/** Sandboxing user processes: the policy service the process spawner asks for a bubblewrap command. */
@Export
@Version("1.0.0")
@NullMarked
package io.oqto.runner.spi.sandbox;

import org.jspecify.annotations.NullMarked;
import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
