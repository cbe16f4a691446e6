/**
 * oqto-tty: the user's terminal where ttyd is not installed. ttyd's WebSocket protocol on a Unix socket, a real
 * pseudo-terminal per connection, run by the runner inside the user's sandbox.
 */
@NullMarked
package io.oqto.tty;

import org.jspecify.annotations.NullMarked;
