package io.oqto.api.runner.history;

/**
 * Whether and where a runner keeps history.
 *
 * @param store {@code embedded}, {@code hstry}, {@code off}, or {@code not_installed} while its feature is installed
 * @param waiting turns waiting in the replay queue for the store to answer (-1: the queue cannot be read)
 */
public record HistoryState(String store, int waiting) {}
