/**
 * The runner side's extension points: bundles contribute request types as {@link RunnerOperation} services,
 * streams of events as {@link StreamingOperation}s whose {@link EventFeed}s the runner's socket server drives
 * (one registry, one push loop, one {@code unsubscribe}), and read sequenced events from a
 * {@link SequencedBuffer}. The workspace's path rule is {@link WorkspacePaths}.
 */
@Export
@Version("1.2.0")
@NullMarked
package io.oqto.runner.spi;

import org.jspecify.annotations.NullMarked;
import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
