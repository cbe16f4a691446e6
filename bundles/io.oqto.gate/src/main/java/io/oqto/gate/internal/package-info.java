/** The API gate's implementation: exports nothing. */
@NullMarked
package io.oqto.gate.internal;

import org.jspecify.annotations.NullMarked;
