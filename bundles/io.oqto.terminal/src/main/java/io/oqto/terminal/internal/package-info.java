/** The runner's terminals: {@link io.oqto.terminal.internal.Terminals}. Exports nothing. */
@NullMarked
package io.oqto.terminal.internal;

import org.jspecify.annotations.NullMarked;
