/**
 * The runner side's extension points: bundles contribute request types as {@link RunnerOperation} services,
 * streams of events as {@link StreamingOperation}s whose {@link EventFeed}s the runner's socket server drives
 * (one registry, one push loop, one {@code unsubscribe}), and read sequenced events from a
 * {@link SequencedBuffer}; a {@link HandoverOperation} hands the client an open connection (a terminal's). The
 * workspace's path rule is {@link WorkspacePaths}.
 */
@Export
@Version("1.4.0")
@NullMarked
package io.oqto.runner.spi;

import org.jspecify.annotations.NullMarked;
import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
