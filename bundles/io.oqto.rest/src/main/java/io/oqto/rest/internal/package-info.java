/** The REST API (CXF JAX-RS): resources, bearer-token filter and the one problem-JSON error shape. */
@NullMarked
package io.oqto.rest.internal;

import org.jspecify.annotations.NullMarked;
