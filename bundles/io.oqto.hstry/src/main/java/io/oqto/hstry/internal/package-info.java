/** The hstry connector: hstry found as its own client finds it, and a history store over its gRPC API. */
@NullMarked
package io.oqto.hstry.internal;

import org.jspecify.annotations.NullMarked;
