package io.oqto.runner.spi.memory;

import java.util.Locale;

/** How a search ranks: by words, by meaning (embeddings), or both combined. */
public enum SearchMode {
    LEXICAL,
    SEMANTIC,
    HYBRID;

    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }
}
