package io.oqto.rest.internal;

import javax.ws.rs.core.Response;
import org.jspecify.annotations.Nullable;

/**
 * The error every endpoint answers with, as {@code application/problem+json}:
 * {@code {"status":503,"code":"runner_unavailable","title":"…","detail":"…"}}. {@code code} is stable
 * and meant for programs; {@code detail} is for people.
 */
public final class ApiProblem extends RuntimeException {
    private static final long serialVersionUID = 1L;
    static final String MEDIA_TYPE = "application/problem+json";

    private final int status;
    private final String code;
    private final String title;

    ApiProblem(int status, String code, String title, @Nullable String detail) {
        super(detail);
        this.status = status;
        this.code = code;
        this.title = title;
    }

    static ApiProblem forbidden(String detail) {
        return new ApiProblem(403, "forbidden", "Forbidden", detail);
    }

    Response toResponse() {
        return Response.status(status).type(MEDIA_TYPE).entity(body()).build();
    }

    Body body() {
        return new Body(status, code, title, String.valueOf(getMessage()));
    }

    /** The JSON body. */
    public record Body(int status, String code, String title, String detail) {}
}
