/** The metrics' implementation on Prometheus's Java client: exports nothing. */
@NullMarked
package io.oqto.metrics.internal;

import org.jspecify.annotations.NullMarked;
