/**
 * What the control plane measures: bundles report events to {@link io.oqto.api.metrics.Metrics} and offer current
 * values as {@link io.oqto.api.metrics.Gauge} services; one implementation turns both into the scrape.
 */
@Export
@Version("1.0.0")
@NullMarked
package io.oqto.api.metrics;

import org.jspecify.annotations.NullMarked;
import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
