/**
 * The runner client for programs outside Karaf (benchmarks). Deliberately not exported: inside the framework
 * the client is the {@link io.oqto.api.runner.RunnerGateway} service.
 */
@NullMarked
package io.oqto.routing.standalone;

import org.jspecify.annotations.NullMarked;
