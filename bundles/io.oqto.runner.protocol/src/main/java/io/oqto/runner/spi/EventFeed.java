package io.oqto.runner.spi;

import io.oqto.runner.protocol.Frame;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.osgi.annotation.versioning.ConsumerType;

/**
 * What one subscription sends, pulled by the runner server's push loop on the subscription's own thread.
 * A feed reads from its source's {@link SequencedBuffer} with a cursor of its own, so a slow client costs a
 * cursor, never a queue.
 */
@ConsumerType
public interface EventFeed {

    /** Fields of the {@code subscribed} reply besides {@code subscription} (such as the process's name). */
    Map<String, Object> replyFields();

    /**
     * The next events, in order, each a frame with its type and fields (the server sets the id to null and adds
     * {@code subscription}); when there are none yet, waits up to {@code waitMillis} and may return an empty
     * list. Null when the feed is over: the subscription ends without a further event.
     *
     * @throws InterruptedException the subscription is being ended
     */
    @Nullable
    List<Frame> next(long waitMillis) throws InterruptedException;

    /** The subscription has ended, however it ended: release what it held. Called once. */
    default void close() {}
}
