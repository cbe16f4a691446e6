/** Workspace file access for the runner: every path contained in the user's workspace root. */
package io.oqto.workspace.internal;
