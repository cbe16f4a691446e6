package io.oqto.mmry.internal;

import io.oqto.runner.spi.memory.MemoryException;
import io.oqto.runner.spi.memory.MemoryRules;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The mmry store of a workspace directory, named as the original chose it: the repository name of its git
 * {@code origin} ({@code …/oqto.git} → {@code oqto}), else the directory's name. A name mmry would refuse is refused
 * here, naming it; nothing is written.
 */
final class StoreNames {

    private StoreNames() {}

    static String of(Path dir) throws MemoryException {
        String origin = originRepository(dir.resolve(".git/config"));
        Path name = dir.getFileName();
        return MemoryRules.store(origin != null ? origin : name == null ? "default" : name.toString());
    }

    /** The last path segment of {@code [remote "origin"] url}, without {@code .git}; null when there is none. */
    static @Nullable String originRepository(Path gitConfig) {
        List<String> lines;
        try {
            lines = Files.readAllLines(gitConfig);
        } catch (IOException e) {
            return null;
        }
        boolean inOrigin = false;
        for (String raw : lines) {
            String line = raw.strip();
            if (line.startsWith("[")) {
                inOrigin = line.replace(" ", "").equals("[remote\"origin\"]");
            } else if (inOrigin && line.startsWith("url")) {
                int eq = line.indexOf('=');
                String url = eq < 0 ? "" : line.substring(eq + 1).strip();
                String last = url.replaceAll("/+$", "").replaceAll(".*[/:]", "");
                return last.endsWith(".git") ? last.substring(0, last.length() - 4) : last;
            }
        }
        return null;
    }
}
