/** The runner's process table: spawn (sandboxed), inspect, signal, stop and read the output of user processes. */
@NullMarked
package io.oqto.process.internal;

import org.jspecify.annotations.NullMarked;
