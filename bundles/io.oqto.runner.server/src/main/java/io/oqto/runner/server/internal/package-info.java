/** The runner's Unix-socket server: binding, peer checks, framing and the v1 core requests. */
@NullMarked
package io.oqto.runner.server.internal;

import org.jspecify.annotations.NullMarked;
