package io.oqto.history.internal;

import io.oqto.api.unix.Home;
import io.oqto.runner.spi.history.ChosenHistoryStore;
import io.oqto.runner.spi.history.Conversation;
import io.oqto.runner.spi.history.HistoryException;
import io.oqto.runner.spi.history.HistoryMessage;
import io.oqto.runner.spi.history.HistoryStore;
import io.oqto.runner.spi.history.SearchHit;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;

/**
 * The user's history in {@code ~/.local/state/oqto/history.db}, opened at the first use (a database that cannot be
 * opened is an error of that call, with the reason, and is tried again at the next) and closed on deactivation.
 */
@Component(service = HistoryStore.class)
public final class EmbeddedHistoryComponent implements HistoryStore, AutoCloseable {

    private final Path file;
    private @Nullable EmbeddedHistory db;

    /** Active only while {@code [history] store} chooses the embedded store. */
    @Activate
    public EmbeddedHistoryComponent(
            @Reference(target = "(" + ChosenHistoryStore.STORE + "=" + ChosenHistoryStore.EMBEDDED + ")")
                    ChosenHistoryStore chosen) {
        this(Home.state().resolve("oqto/history.db"));
    }

    /** A store in {@code file}: for tools and benchmarks that fill or read a database outside a runner. */
    public EmbeddedHistoryComponent(Path file) {
        this.file = file;
    }

    /** Closes the database (on deactivation, and for tools that opened one). */
    @Override
    @Deactivate
    public synchronized void close() {
        EmbeddedHistory d = db;
        db = null;
        if (d != null) {
            d.close();
        }
    }

    private synchronized EmbeddedHistory db() throws HistoryException {
        EmbeddedHistory d = db;
        if (d == null) {
            d = new EmbeddedHistory(file);
            db = d;
        }
        return d;
    }

    @Override
    public String kind() {
        return "embedded";
    }

    @Override
    public void write(Conversation conversation, List<HistoryMessage> messages) throws HistoryException {
        db().write(conversation, messages);
    }

    @Override
    public List<Conversation> list(int limit, int offset) throws HistoryException {
        return db().list(limit, offset);
    }

    @Override
    public Optional<Conversation> find(String id) throws HistoryException {
        return db().find(id);
    }

    @Override
    public List<HistoryMessage> messages(String id, int limit, boolean tail) throws HistoryException {
        return db().messages(id, limit, tail);
    }

    @Override
    public List<SearchHit> search(String query, @Nullable String workspace, @Nullable String role, int limit)
            throws HistoryException {
        return db().search(query, workspace, role, limit);
    }

    @Override
    public void rename(String id, String title) throws HistoryException {
        db().rename(id, title);
    }

    @Override
    public boolean delete(String id) throws HistoryException {
        return db().delete(id);
    }
}
