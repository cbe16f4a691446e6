package io.oqto.history.internal;

import io.oqto.runner.spi.PrivateFiles;
import io.oqto.runner.spi.history.Conversation;
import io.oqto.runner.spi.history.HistoryException;
import io.oqto.runner.spi.history.HistoryMessage;
import io.oqto.runner.spi.history.HistoryStore;
import io.oqto.runner.spi.history.SearchHit;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import org.jspecify.annotations.Nullable;
import org.sqlite.JDBC;

/**
 * The history store when no hstry is used: one SQLite database in the user's state directory (0600), with hstry's
 * rules — a conversation by its session id, messages by idx (the same content again is no change), whole-second
 * timestamps — and full-text search with SQLite's FTS5, as hstry itself does. One connection, used under a lock:
 * one user's runner writes a turn at a time.
 */
final class EmbeddedHistory implements HistoryStore, AutoCloseable {

    private final Connection db;
    private final Path file;

    EmbeddedHistory(Path file) throws HistoryException {
        this.file = file;
        try {
            if (!Files.exists(file)) {
                PrivateFiles.write(file, ""); // 0600 in a 0700 directory before SQLite writes a byte
            }
            // The driver directly, not DriverManager: it finds no drivers across OSGi class loaders.
            Connection c = new JDBC().connect("jdbc:sqlite:" + file, new Properties());
            if (c == null) {
                throw new HistoryException("SQLite refused " + file, false);
            }
            db = c;
            try (var s = db.createStatement()) {
                s.execute("PRAGMA journal_mode=WAL");
                s.execute("PRAGMA foreign_keys=ON");
                s.execute("CREATE TABLE IF NOT EXISTS conversations (id TEXT PRIMARY KEY, title TEXT, workspace TEXT,"
                        + " model TEXT, created_at INTEGER NOT NULL, updated_at INTEGER NOT NULL, tokens INTEGER NOT NULL"
                        + " DEFAULT 0, cost_usd REAL NOT NULL DEFAULT 0, agent_session TEXT)");
                s.execute("CREATE TABLE IF NOT EXISTS messages (conversation TEXT NOT NULL REFERENCES conversations(id)"
                        + " ON DELETE CASCADE, idx INTEGER NOT NULL, role TEXT NOT NULL, content TEXT NOT NULL, parts_json"
                        + " TEXT NOT NULL, created_at INTEGER NOT NULL, model TEXT, provider TEXT, tokens INTEGER,"
                        + " cost_usd REAL, PRIMARY KEY (conversation, idx))");
                s.execute("CREATE VIRTUAL TABLE IF NOT EXISTS messages_fts USING fts5(content, conversation UNINDEXED,"
                        + " idx UNINDEXED, tokenize='porter unicode61')");
            }
        } catch (SQLException | IOException e) {
            throw new HistoryException("cannot open the history database " + file + ": " + e.getMessage(), false, e);
        }
    }

    @Override
    public String kind() {
        return "embedded";
    }

    @Override
    public synchronized void write(Conversation c, List<HistoryMessage> messages) throws HistoryException {
        try {
            db.setAutoCommit(false);
            try (PreparedStatement up = db.prepareStatement("INSERT INTO conversations (id, title, workspace, model,"
                    + " created_at, updated_at, tokens, cost_usd, agent_session) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT(id)"
                    + " DO UPDATE"
                    + " SET title = COALESCE(excluded.title, title), workspace = COALESCE(excluded.workspace, workspace),"
                    + " model = COALESCE(excluded.model, model), updated_at = excluded.updated_at, tokens ="
                    + " excluded.tokens, cost_usd = excluded.cost_usd, agent_session = COALESCE(excluded.agent_session,"
                    + " agent_session)")) {
                up.setString(1, c.id());
                setText(up, 2, c.title());
                setText(up, 3, c.workspace());
                setText(up, 4, c.model());
                up.setLong(5, seconds(c.createdAtMs()));
                up.setLong(6, seconds(c.updatedAtMs()));
                up.setLong(7, c.tokens());
                up.setDouble(8, c.costUsd());
                setText(up, 9, c.agentSession());
                up.executeUpdate();
            }
            for (HistoryMessage m : messages) {
                upsert(c.id(), m);
            }
            db.commit();
        } catch (SQLException e) {
            rollback();
            throw new HistoryException("cannot write to " + file + ": " + e.getMessage(), false, e);
        } finally {
            autoCommit();
        }
    }

    /** hstry's rule: an idx it has with the same content and parts is left alone; otherwise written. */
    private void upsert(String conversation, HistoryMessage m) throws SQLException {
        String parts = m.partsJson();
        try (PreparedStatement same = db.prepareStatement(
                "SELECT 1 FROM messages WHERE conversation = ? AND idx = ? AND content = ? AND parts_json = ?")) {
            same.setString(1, conversation);
            same.setInt(2, m.idx());
            same.setString(3, m.content());
            same.setString(4, parts);
            try (ResultSet r = same.executeQuery()) {
                if (r.next()) {
                    return;
                }
            }
        }
        try (PreparedStatement put = db.prepareStatement("INSERT INTO messages (conversation, idx, role, content,"
                + " parts_json, created_at, model, provider, tokens, cost_usd) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
                + " ON CONFLICT(conversation, idx) DO UPDATE SET role = excluded.role, content = excluded.content,"
                + " parts_json = excluded.parts_json, created_at = excluded.created_at, model = excluded.model, provider"
                + " = excluded.provider, tokens = excluded.tokens, cost_usd = excluded.cost_usd")) {
            put.setString(1, conversation);
            put.setInt(2, m.idx());
            put.setString(3, m.role());
            put.setString(4, m.content());
            put.setString(5, parts);
            put.setLong(6, seconds(m.createdAtMs()));
            setText(put, 7, m.model());
            setText(put, 8, m.provider());
            if (m.tokens() == null) {
                put.setNull(9, Types.INTEGER);
            } else {
                put.setLong(9, m.tokens());
            }
            if (m.costUsd() == null) {
                put.setNull(10, Types.REAL);
            } else {
                put.setDouble(10, m.costUsd());
            }
            put.executeUpdate();
        }
        try (PreparedStatement del =
                db.prepareStatement("DELETE FROM messages_fts WHERE conversation = ? AND idx = ?")) {
            del.setString(1, conversation);
            del.setInt(2, m.idx());
            del.executeUpdate();
        }
        try (PreparedStatement fts =
                db.prepareStatement("INSERT INTO messages_fts (content, conversation, idx) VALUES (?, ?, ?)")) {
            fts.setString(1, m.content());
            fts.setString(2, conversation);
            fts.setInt(3, m.idx());
            fts.executeUpdate();
        }
    }

    @Override
    public synchronized List<Conversation> list(int limit, int offset) throws HistoryException {
        return conversations(
                "ORDER BY c.updated_at DESC, c.created_at DESC LIMIT ? OFFSET ?",
                limit <= 0 ? -1 : limit,
                offset,
                null);
    }

    @Override
    public synchronized Optional<Conversation> find(String id) throws HistoryException {
        return conversations("AND c.id = ?", 0, 0, id).stream().findFirst();
    }

    private List<Conversation> conversations(String tail, int limit, int offset, @Nullable String id)
            throws HistoryException {
        String sql = "SELECT c.id, c.title, c.workspace, c.model, c.created_at, c.updated_at, c.tokens, c.cost_usd,"
                + " c.agent_session, (SELECT COUNT(*) FROM messages m WHERE m.conversation = c.id) FROM conversations c WHERE 1 = 1 "
                + tail;
        try (PreparedStatement q = db.prepareStatement(sql)) {
            if (id != null) {
                q.setString(1, id);
            } else {
                q.setInt(1, limit);
                q.setInt(2, offset);
            }
            List<Conversation> out = new ArrayList<>();
            try (ResultSet r = q.executeQuery()) {
                while (r.next()) {
                    out.add(new Conversation(
                            r.getString(1),
                            r.getString(2),
                            r.getString(3),
                            r.getString(4),
                            r.getLong(5) * 1000,
                            r.getLong(6) * 1000,
                            r.getLong(10),
                            r.getLong(7),
                            r.getDouble(8),
                            r.getString(9)));
                }
            }
            return out;
        } catch (SQLException e) {
            throw new HistoryException("cannot read " + file + ": " + e.getMessage(), false, e);
        }
    }

    @Override
    public synchronized List<HistoryMessage> messages(String id, int limit, boolean tail) throws HistoryException {
        String sql = tail && limit > 0
                ? "SELECT * FROM (SELECT * FROM messages WHERE conversation = ? ORDER BY idx DESC LIMIT ?) ORDER BY idx"
                : "SELECT * FROM messages WHERE conversation = ? ORDER BY idx LIMIT ?";
        try (PreparedStatement q = db.prepareStatement(sql)) {
            q.setString(1, id);
            q.setInt(2, limit <= 0 ? -1 : limit);
            List<HistoryMessage> out = new ArrayList<>();
            try (ResultSet r = q.executeQuery()) {
                while (r.next()) {
                    long tokens = r.getLong("tokens");
                    boolean noTokens = r.wasNull();
                    double cost = r.getDouble("cost_usd");
                    boolean noCost = r.wasNull();
                    out.add(new HistoryMessage(
                            r.getInt("idx"),
                            r.getString("role"),
                            r.getString("content"),
                            parts(r.getString("parts_json")),
                            r.getLong("created_at") * 1000,
                            r.getString("model"),
                            r.getString("provider"),
                            noTokens ? null : tokens,
                            noCost ? null : cost));
                }
            }
            return out;
        } catch (SQLException e) {
            throw new HistoryException("cannot read " + file + ": " + e.getMessage(), false, e);
        }
    }

    /** The words of {@code query}, each matched as a word (or its stem), all of them, best first. */
    @Override
    public synchronized List<SearchHit> search(
            String query, @Nullable String workspace, @Nullable String role, int limit) throws HistoryException {
        String match = ftsQuery(query);
        if (match.isEmpty()) {
            return List.of();
        }
        String sql = "SELECT f.conversation, f.idx, m.role, snippet(messages_fts, 0, '[', ']', '…', 12), m.created_at"
                + " FROM messages_fts f JOIN messages m ON m.conversation = f.conversation AND m.idx = f.idx"
                + " JOIN conversations c ON c.id = f.conversation WHERE messages_fts MATCH ?"
                + (workspace == null ? "" : " AND c.workspace = ?")
                + (role == null ? "" : " AND m.role = ?")
                + " ORDER BY rank LIMIT ?";
        try (PreparedStatement q = db.prepareStatement(sql)) {
            int i = 1;
            q.setString(i++, match);
            if (workspace != null) {
                q.setString(i++, workspace);
            }
            if (role != null) {
                q.setString(i++, role);
            }
            q.setInt(i, limit <= 0 ? -1 : limit);
            List<SearchHit> out = new ArrayList<>();
            try (ResultSet r = q.executeQuery()) {
                while (r.next()) {
                    out.add(new SearchHit(
                            r.getString(1), r.getInt(2), r.getString(3), r.getString(4), r.getLong(5) * 1000));
                }
            }
            return out;
        } catch (SQLException e) {
            throw new HistoryException("cannot search " + file + ": " + e.getMessage(), false, e);
        }
    }

    /**
     * A user's words as an FTS5 query that cannot be a syntax error: each word quoted (a quote inside doubled), all
     * of them required.
     */
    static String ftsQuery(String query) {
        List<String> words = new ArrayList<>();
        for (String w : query.toLowerCase(Locale.ROOT).split("[^\\p{L}\\p{N}_]+", -1)) {
            if (!w.isEmpty()) {
                words.add("\"" + w.replace("\"", "\"\"") + "\"");
            }
        }
        return String.join(" AND ", words);
    }

    @Override
    public synchronized void rename(String id, String title) throws HistoryException {
        update("UPDATE conversations SET title = ? WHERE id = ?", title, id);
    }

    @Override
    public synchronized boolean delete(String id) throws HistoryException {
        try {
            db.setAutoCommit(false);
            try (PreparedStatement fts = db.prepareStatement("DELETE FROM messages_fts WHERE conversation = ?")) {
                fts.setString(1, id);
                fts.executeUpdate();
            }
            boolean existed = update("DELETE FROM conversations WHERE id = ?", id) > 0;
            db.commit();
            return existed;
        } catch (SQLException e) {
            rollback();
            throw new HistoryException("cannot delete from " + file + ": " + e.getMessage(), false, e);
        } finally {
            autoCommit();
        }
    }

    @Override
    public synchronized void close() {
        try {
            db.close();
        } catch (SQLException e) {
            // closing: nothing is lost, WAL pages are checkpointed on the next open
        }
    }

    private int update(String sql, String... values) throws HistoryException {
        try (PreparedStatement u = db.prepareStatement(sql)) {
            for (int i = 0; i < values.length; i++) {
                u.setString(i + 1, values[i]);
            }
            return u.executeUpdate();
        } catch (SQLException e) {
            throw new HistoryException("cannot write to " + file + ": " + e.getMessage(), false, e);
        }
    }

    private void rollback() {
        try {
            db.rollback();
        } catch (SQLException e) {
            // the transaction is gone with the failure
        }
    }

    private void autoCommit() {
        try {
            db.setAutoCommit(true);
        } catch (SQLException e) {
            // the next statement says so
        }
    }

    private static void setText(PreparedStatement p, int i, @Nullable String v) throws SQLException {
        if (v == null) {
            p.setNull(i, Types.VARCHAR);
        } else {
            p.setString(i, v);
        }
    }

    /** hstry keeps whole seconds; so does this store. */
    static long seconds(long ms) {
        return Math.floorDiv(ms, 1000);
    }

    private static List<Map<String, Object>> parts(String text) throws SQLException {
        try {
            return HistoryMessage.partsFrom(text);
        } catch (IOException e) {
            throw new SQLException("stored parts are not JSON: " + e.getMessage(), e);
        }
    }
}
