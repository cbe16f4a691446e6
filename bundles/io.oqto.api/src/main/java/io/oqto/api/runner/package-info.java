/** Reaching a user's runner from the control plane: the gateway service and what it returns. */
@Export
@Version("3.4.0")
@NullMarked
package io.oqto.api.runner;

import org.jspecify.annotations.NullMarked;
import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
