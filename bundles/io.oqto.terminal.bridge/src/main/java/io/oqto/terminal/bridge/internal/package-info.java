/** The browser's side of the user's terminals: {@link io.oqto.terminal.bridge.internal.TerminalBridge}. Exports nothing. */
@NullMarked
package io.oqto.terminal.bridge.internal;

import org.jspecify.annotations.NullMarked;
