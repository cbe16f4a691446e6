package io.oqto.runner.spi.memory;

/** A memory store's failure, by kind, with words for the user. */
public final class MemoryException extends Exception {

    private static final long serialVersionUID = 1L;

    /** What went wrong. */
    public enum Kind {
        /** No memory with that id in that store. */
        NOT_FOUND,
        /** The store refused the input (the message says why). */
        INVALID,
        /** The store cannot be reached now (the mmry daemon is down, …). */
        UNAVAILABLE,
        /** The store's files could not be read or written. */
        IO
    }

    private final Kind kind;

    public MemoryException(Kind kind, String message) {
        super(message);
        this.kind = kind;
    }

    public MemoryException(Kind kind, String message, Throwable cause) {
        super(message, cause);
        this.kind = kind;
    }

    public Kind kind() {
        return kind;
    }
}
