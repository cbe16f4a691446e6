package io.oqto.runner.protocol;

import io.oqto.api.runner.ErrorCode;
import org.jspecify.annotations.Nullable;

/** A frame that cannot be served, with the error code and the request id when it could be read. */
public class ProtocolException extends Exception {
    private static final long serialVersionUID = 1L;
    private final ErrorCode code;
    private final @Nullable String requestId;

    public ProtocolException(ErrorCode code, String message, @Nullable String requestId) {
        super(message);
        this.code = code;
        this.requestId = requestId;
    }

    /** Never null: every refusal says why. */
    @Override
    public String getMessage() {
        return String.valueOf(super.getMessage());
    }

    public ErrorCode code() {
        return code;
    }

    /** The request's id, or null when the frame had none we could read. */
    public @Nullable String requestId() {
        return requestId;
    }

    /** The error frame to send back for this failure. */
    public Frame toFrame() {
        return Frame.error(requestId, code, getMessage());
    }
}
