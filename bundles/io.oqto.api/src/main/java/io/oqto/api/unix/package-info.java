/** Facts about local Unix accounts that several bundles need (uid lookups), and their private state files. */
@Export
@Version("1.5.0")
@NullMarked
package io.oqto.api.unix;

import org.jspecify.annotations.NullMarked;
import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
