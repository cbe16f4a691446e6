/** Karaf shell commands for operators ({@code oqto:*}). */
package io.oqto.shell.internal;
