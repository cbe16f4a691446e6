package io.oqto.runner.spi.memory;

import java.nio.file.Path;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.osgi.annotation.versioning.ProviderType;

/**
 * Where a user's memories are kept, one store per workspace directory (the ledger in {@code <dir>/.mmry/}, or the mmry
 * daemon's store named after the directory's git origin or name). {@code workspace} is an absolute directory the
 * caller has confined to the user's workspace.
 */
@ProviderType
public interface MemoryStore {

    /** Which store this is, for status and answers: {@code embedded} or {@code mmry}. */
    String kind();

    /** Memories of {@code category} and {@code tag} (null: any), newest first. */
    MemoryPage list(Path workspace, @Nullable String category, @Nullable String tag, int limit, int offset)
            throws MemoryException;

    Optional<Memory> get(Path workspace, String id) throws MemoryException;

    Memory create(Path workspace, MemoryDraft draft) throws MemoryException;

    /** The memory after the change; NOT_FOUND when there is none with {@code id}. */
    Memory update(Path workspace, String id, MemoryDraft change) throws MemoryException;

    /** Whether there was one to delete. */
    boolean delete(Path workspace, String id) throws MemoryException;

    MemorySearch search(Path workspace, String query, int limit, SearchMode mode) throws MemoryException;
}
