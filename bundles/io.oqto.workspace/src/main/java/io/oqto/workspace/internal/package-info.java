/** Workspace file access for the runner: every path contained in the user's workspace root. */
@NullMarked
package io.oqto.workspace.internal;

import org.jspecify.annotations.NullMarked;
