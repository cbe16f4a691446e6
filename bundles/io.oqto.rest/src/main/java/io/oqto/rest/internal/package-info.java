/** The REST API (CXF JAX-RS): resources, bearer-token filter and the one problem-JSON error shape. */
package io.oqto.rest.internal;
