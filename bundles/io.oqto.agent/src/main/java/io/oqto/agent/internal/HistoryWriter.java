package io.oqto.agent.internal;

import io.oqto.runner.spi.history.Conversation;
import io.oqto.runner.spi.history.HistoryException;
import io.oqto.runner.spi.history.HistoryMessage;
import io.oqto.runner.spi.history.HistoryStore;
import java.io.IOException;
import java.util.List;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * Writes a session's turns to the history store in order: what waits in the replay queue first, then the turn;
 * a turn the store cannot take now is queued (and replayed with a later turn); one it refuses, or one the queue
 * cannot keep, is an error the session reports. Without a store (none configured) nothing is written.
 */
final class HistoryWriter {

    /** What became of a turn: written, queued for later, or not kept (with why). */
    record Outcome(
            boolean written, boolean queued, @Nullable String error) {
        static final Outcome SKIPPED = new Outcome(false, false, null);
    }

    private final Supplier<@Nullable HistoryStore> store;
    private final HistoryQueue queue;

    HistoryWriter(Supplier<@Nullable HistoryStore> store, HistoryQueue queue) {
        this.store = store;
        this.queue = queue;
    }

    synchronized Outcome write(Conversation conversation, List<HistoryMessage> turn) {
        HistoryStore s = store.get();
        if (s == null) {
            return Outcome.SKIPPED;
        }
        try {
            if (queue.size() > 0 && queue.drain(s).waiting() > 0) {
                queue.add(conversation, turn); // behind the others, in order
                return new Outcome(false, true, null);
            }
            try {
                s.write(conversation, turn);
                return new Outcome(true, false, null);
            } catch (HistoryException e) {
                if (!e.retryable()) {
                    return new Outcome(false, false, "history refused the turn: " + e.getMessage());
                }
                queue.add(conversation, turn);
                return new Outcome(false, true, null);
            }
        } catch (IOException e) {
            return new Outcome(false, false, "the turn could not be kept for history: " + e.getMessage());
        }
    }

    /** Writes waiting in the replay queue (for the runner's status). */
    int waiting() {
        try {
            return queue.size();
        } catch (IOException e) {
            return -1;
        }
    }
}
