package io.oqto.runner.spi.history;

import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.osgi.annotation.versioning.ProviderType;

/**
 * Where a user's conversations are kept: hstry, or the embedded store. Writes are idempotent by idx: writing a
 * message again at the same idx with the same content changes nothing, so a replay after a failure is safe.
 */
@ProviderType
public interface HistoryStore {

    /**
     * Which store this is, for the runner's status: {@code embedded} or {@code hstry}.
     *
     * @since 1.1
     */
    String kind();

    /** Writes these messages of conversation {@code id}, creating the conversation when it is new. */
    void write(Conversation conversation, List<HistoryMessage> messages) throws HistoryException;

    /** The conversations, newest first. */
    List<Conversation> list(int limit, int offset) throws HistoryException;

    Optional<Conversation> find(String id) throws HistoryException;

    /** Its messages by idx; with {@code tail}, only the last {@code limit}. */
    List<HistoryMessage> messages(String id, int limit, boolean tail) throws HistoryException;

    /** Messages whose text contains the words of {@code query}, newest first. */
    List<SearchHit> search(String query, @Nullable String workspace, @Nullable String role, int limit)
            throws HistoryException;

    void rename(String id, String title) throws HistoryException;

    /** Whether there was one to delete. */
    boolean delete(String id) throws HistoryException;
}
