/** Karaf shell commands for operators ({@code oqto:*}). */
@NullMarked
package io.oqto.shell.internal;

import org.jspecify.annotations.NullMarked;
