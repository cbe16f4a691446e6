/**
 * Chat history on the runner's side: the message model every history store keeps (hstry's, services-spec §1.3 and
 * §1.5), written by the agent sessions and read back to list, search and resume conversations.
 */
@Export
@Version("1.2.0")
@NullMarked
package io.oqto.runner.spi.history;

import org.jspecify.annotations.NullMarked;
import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
