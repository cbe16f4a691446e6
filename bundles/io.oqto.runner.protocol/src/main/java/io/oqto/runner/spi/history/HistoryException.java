package io.oqto.runner.spi.history;

/** The history store could not do it; {@link #retryable()} says whether trying again later may succeed. */
public final class HistoryException extends Exception {
    private static final long serialVersionUID = 1L;

    private final boolean retryable;

    public HistoryException(String message, boolean retryable, Throwable cause) {
        super(message, cause);
        this.retryable = retryable;
    }

    public HistoryException(String message, boolean retryable) {
        super(message);
        this.retryable = retryable;
    }

    /** True when the store could not be reached (a queued write is replayed later); false when it refused. */
    public boolean retryable() {
        return retryable;
    }

    @Override
    public String getMessage() {
        return String.valueOf(super.getMessage());
    }
}
