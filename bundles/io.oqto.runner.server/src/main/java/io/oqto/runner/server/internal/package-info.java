/** The runner's Unix-socket server: binding, peer checks, framing and the v1 core requests. */
package io.oqto.runner.server.internal;
