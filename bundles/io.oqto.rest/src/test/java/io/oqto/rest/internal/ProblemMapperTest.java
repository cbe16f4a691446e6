package io.oqto.rest.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.oqto.api.auth.Caller;
import io.oqto.api.auth.Role;
import io.oqto.api.runner.ErrorCode;
import io.oqto.api.runner.RunnerErrorException;
import io.oqto.api.runner.RunnerUnavailableException;
import io.oqto.api.runner.UnknownUserException;
import javax.ws.rs.NotAllowedException;
import javax.ws.rs.NotFoundException;
import org.junit.jupiter.api.Test;

class ProblemMapperTest {

    private static ApiProblem.Body body(Throwable t) {
        return (ApiProblem.Body) new ProblemMapper().toResponse(t).getEntity();
    }

    @Test
    void runnerFailuresHaveStableCodes() {
        assertEquals(
                new ApiProblem.Body(503, "runner_unavailable", "Runner unavailable", "gone"),
                body(new RunnerUnavailableException("gone")));
        assertEquals(
                new ApiProblem.Body(404, "user_not_found", "User not found", "no such user: x"),
                body(new UnknownUserException("no such user: x")));
        assertEquals(
                new ApiProblem.Body(502, "runner_error", "Runner error", "unknown_type: nope"),
                body(new RunnerErrorException(ErrorCode.UNKNOWN_TYPE, "nope")));
    }

    @Test
    void workspaceErrorsKeepTheRunnersCode() {
        assertEquals(
                new ApiProblem.Body(
                        403, "path_not_allowed", "Path not allowed", "path .. is not allowed: it contains .."),
                body(new RunnerErrorException(ErrorCode.PATH_NOT_ALLOWED, "path .. is not allowed: it contains ..")));
        assertEquals(
                404,
                body(new RunnerErrorException(ErrorCode.PATH_NOT_FOUND, "x")).status());
        assertEquals(
                "directory_not_empty",
                body(new RunnerErrorException(ErrorCode.DIRECTORY_NOT_EMPTY, "x"))
                        .code());
        assertEquals(
                409, body(new RunnerErrorException(ErrorCode.PATH_EXISTS, "x")).status());
        assertEquals(
                new ApiProblem.Body(400, "bad_request", "Bad request", "x"),
                body(new RunnerErrorException(ErrorCode.INVALID_REQUEST, "x")));
        assertEquals(
                502,
                body(new RunnerErrorException(ErrorCode.IO_ERROR, "disk full")).status());
    }

    @Test
    void frameworkErrorsUseTheSameShape() {
        assertEquals("not_found", body(new NotFoundException()).code());
        assertEquals(405, body(new NotAllowedException("GET")).status());
        assertEquals("method_not_allowed", body(new NotAllowedException("GET")).code());
    }

    @Test
    void unexpectedErrorsHideTheirDetails() {
        assertEquals(
                new ApiProblem.Body(
                        500, "internal", "Internal error", "an unexpected error occurred; see the server log"),
                body(new IllegalStateException("secret internals")));
    }

    @Test
    void problemResponsesAreProblemJson() {
        assertEquals(
                "application/problem+json",
                new ProblemMapper()
                        .toResponse(new RunnerUnavailableException("x"))
                        .getMediaType()
                        .toString());
    }

    @Test
    void meMeansTheCallerAndOthersNeedAdmin() {
        AuthFilter.CallerContext alice =
                new AuthFilter.CallerContext(new Caller("alice", Role.USER, "t"), false, "Bearer");
        AuthFilter.CallerContext root =
                new AuthFilter.CallerContext(new Caller("root", Role.ADMIN, "t"), false, "Bearer");
        assertEquals("alice", RunnerResource.authorize("me", alice));
        assertEquals("alice", RunnerResource.authorize("alice", alice));
        ApiProblem p = assertThrows(ApiProblem.class, () -> RunnerResource.authorize("bob", alice));
        assertEquals(
                new ApiProblem.Body(403, "forbidden", "Forbidden", "user alice may not access the runner of bob"),
                p.toResponse().getEntity());
        assertEquals("bob", RunnerResource.authorize("bob", root));
    }
}
