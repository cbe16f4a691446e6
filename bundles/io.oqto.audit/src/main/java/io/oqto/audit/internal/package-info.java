/** The audit log's implementation: exports nothing. */
@NullMarked
package io.oqto.audit.internal;

import org.jspecify.annotations.NullMarked;
