/** Control-plane side of the runner protocol: user → socket resolution, pooled connections, autostart. */
@NullMarked
package io.oqto.routing.internal;

import org.jspecify.annotations.NullMarked;
