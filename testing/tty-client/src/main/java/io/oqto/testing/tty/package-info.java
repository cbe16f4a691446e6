/** A client of ttyd's WebSocket protocol for the tests: {@link io.oqto.testing.tty.TtyClient}. */
@NullMarked
package io.oqto.testing.tty;

import org.jspecify.annotations.NullMarked;
