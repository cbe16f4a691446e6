/** The front door of {@code /api}: holds requests while the REST API is swapped (a bundle update, a feature upgrade). */
@Export
@Version("1.0.0")
@NullMarked
package io.oqto.api.gate;

import org.jspecify.annotations.NullMarked;
import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
