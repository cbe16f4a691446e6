/** The runner's process table: spawn (sandboxed), inspect, signal, stop and read the output of user processes. */
package io.oqto.process.internal;
