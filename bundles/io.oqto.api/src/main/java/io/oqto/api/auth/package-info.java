/** Bearer API tokens, browser sessions and passwords, and the callers they identify. */
@Export
@Version("1.5.0")
@NullMarked
package io.oqto.api.auth;

import org.jspecify.annotations.NullMarked;
import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
