/** Control-plane side of the runner protocol: user → socket resolution, pooled connections, autostart. */
package io.oqto.routing.internal;
