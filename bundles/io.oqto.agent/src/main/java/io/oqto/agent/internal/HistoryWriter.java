package io.oqto.agent.internal;

import io.oqto.runner.spi.history.Conversation;
import io.oqto.runner.spi.history.HistoryException;
import io.oqto.runner.spi.history.HistoryMessage;
import io.oqto.runner.spi.history.HistoryStore;
import java.io.IOException;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * Writes a session's turns to the history store in order: what waits in the replay queue first, then the turn;
 * a turn the store cannot take now is queued (and replayed with a later turn, or by {@link #replay} when the store
 * is back); one it refuses, or one the queue cannot keep, is an error the session reports. With history on but no
 * store there (its feature being installed, its bundle updated) turns are queued too; with history off nothing is
 * written.
 */
final class HistoryWriter {

    /** What became of a turn: written, queued for later, or not kept (with why). */
    record Outcome(
            boolean written, boolean queued, @Nullable String error) {
        static final Outcome SKIPPED = new Outcome(false, false, null);
    }

    private final Supplier<@Nullable HistoryStore> store;
    private final BooleanSupplier enabled;
    private final HistoryQueue queue;

    HistoryWriter(Supplier<@Nullable HistoryStore> store, BooleanSupplier enabled, HistoryQueue queue) {
        this.store = store;
        this.enabled = enabled;
        this.queue = queue;
    }

    synchronized Outcome write(Conversation conversation, List<HistoryMessage> turn) {
        HistoryStore s = store.get();
        try {
            if (s == null) {
                if (!enabled.getAsBoolean()) {
                    return Outcome.SKIPPED;
                }
                queue.add(conversation, turn);
                return new Outcome(false, true, null);
            }
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

    /**
     * Sends what waits in the replay queue when a store is there; the refusals it set aside, with the store's words
     * (empty when there was nothing to do or the store is still away).
     */
    synchronized List<String> replay() throws IOException {
        HistoryStore s = store.get();
        if (s == null || queue.size() == 0) {
            return List.of();
        }
        return queue.drain(s).refused();
    }

    /** The idx a continued conversation's next message gets: after what the store holds and what waits here. */
    synchronized int nextIdx(Conversation stored) throws IOException {
        return (int) Math.max(stored.messageCount(), queue.nextIdx(stored.id()));
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
