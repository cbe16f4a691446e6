/**
 * Resource limits of spawned processes (memory, tasks, CPU) and the mechanisms that enforce them: a systemd
 * transient scope, a cgroup the runner may write, or rlimits. Private to the process bundle.
 */
@NullMarked
package io.oqto.process.internal.limits;

import org.jspecify.annotations.NullMarked;
