package io.oqto.rest.internal;

import io.oqto.api.runner.ErrorCode;
import io.oqto.api.runner.RunnerErrorException;
import io.oqto.api.runner.RunnerUnavailableException;
import io.oqto.api.runner.UnknownUserException;
import javax.ws.rs.WebApplicationException;
import javax.ws.rs.core.Response;
import javax.ws.rs.ext.ExceptionMapper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Maps every failure to the one problem shape, so clients handle errors by {@code code} alone. */
final class ProblemMapper implements ExceptionMapper<Throwable> {

    private static final Logger LOG = LoggerFactory.getLogger(ProblemMapper.class);

    @Override
    public Response toResponse(Throwable t) {
        return problemFor(t).toResponse();
    }

    /** Workspace errors keep the runner's code; anything else from the runner is a 502. */
    private static ApiProblem forRunnerError(RunnerErrorException r) {
        ErrorCode code = r.code();
        return switch (code) {
            case PATH_NOT_ALLOWED -> new ApiProblem(403, code.wire(), "Path not allowed", r.getMessage());
            case PATH_NOT_FOUND,
                    PROCESS_NOT_FOUND,
                    SESSION_NOT_FOUND,
                    CONVERSATION_NOT_FOUND,
                    MEMORY_NOT_FOUND,
                    UPLOAD_NOT_FOUND,
                    TERMINAL_NOT_FOUND -> new ApiProblem(404, code.wire(), "Not found", r.getMessage());
            case PATH_EXISTS, NOT_A_DIRECTORY, NOT_A_FILE, DIRECTORY_NOT_EMPTY, PROCESS_EXISTS, INVALID_STATE ->
                new ApiProblem(409, code.wire(), "Conflict", r.getMessage());
            case INVALID_REQUEST -> new ApiProblem(400, "bad_request", "Bad request", r.getMessage());
            case SPAWN_FAILED -> new ApiProblem(422, code.wire(), "Spawn failed", r.getMessage());
            case SANDBOX_ERROR -> new ApiProblem(503, code.wire(), "Sandbox unavailable", r.getMessage());
            case AGENT_ERROR -> new ApiProblem(422, code.wire(), "Agent error", r.getMessage());
            case BUSY -> new ApiProblem(503, code.wire(), "Busy", r.getMessage());
            case HISTORY_UNAVAILABLE -> new ApiProblem(503, code.wire(), "History unavailable", r.getMessage());
            case MEMORY_UNAVAILABLE -> new ApiProblem(503, code.wire(), "Memory unavailable", r.getMessage());
            case TIMEOUT -> new ApiProblem(504, code.wire(), "Timeout", r.getMessage());
            case TOO_LARGE -> new ApiProblem(413, "payload_too_large", "Payload too large", r.getMessage());
            default -> new ApiProblem(502, "runner_error", "Runner error", code.wire() + ": " + r.getMessage());
        };
    }

    static ApiProblem problemFor(Throwable t) {
        if (t instanceof ApiProblem p) {
            return p;
        }
        ApiProblem body = BodyProblems.of(t);
        if (body != null) {
            return body;
        }
        if (t instanceof RunnerUnavailableException) {
            return new ApiProblem(503, "runner_unavailable", "Runner unavailable", t.getMessage());
        }
        if (t instanceof UnknownUserException) {
            return new ApiProblem(404, "user_not_found", "User not found", t.getMessage());
        }
        if (t instanceof RunnerErrorException r) {
            return forRunnerError(r);
        }
        if (t instanceof WebApplicationException w) {
            int s = w.getResponse().getStatus();
            return switch (s) {
                case 404 -> new ApiProblem(404, "not_found", "Not found", "no such endpoint");
                case 405 ->
                    new ApiProblem(
                            405,
                            "method_not_allowed",
                            "Method not allowed",
                            "this endpoint does not support the method");
                case 406 ->
                    new ApiProblem(406, "not_acceptable", "Not acceptable", "only application/json is produced");
                case 415 -> new ApiProblem(415, "unsupported_media_type", "Unsupported media type", w.getMessage());
                default ->
                    new ApiProblem(
                            s,
                            s >= 500 ? "internal" : "bad_request",
                            Response.Status.fromStatusCode(s) == null
                                    ? "Error"
                                    : Response.Status.fromStatusCode(s).getReasonPhrase(),
                            w.getMessage());
            };
        }
        LOG.error("unexpected error in a REST call", t);
        return new ApiProblem(500, "internal", "Internal error", "an unexpected error occurred; see the server log");
    }
}
