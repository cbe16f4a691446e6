/** The audit trail: who did what, to what, with what result — one record per state-changing action. */
@Export
@Version("1.0.0")
@NullMarked
package io.oqto.api.audit;

import org.jspecify.annotations.NullMarked;
import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
