package io.oqto.rest.internal;

import java.util.Map;
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
    private final Map<String, String> headers;

    ApiProblem(int status, String code, String title, @Nullable String detail) {
        this(status, code, title, detail, Map.of());
    }

    /** @param headers sent with the problem, e.g. {@code Retry-After} */
    ApiProblem(int status, String code, String title, @Nullable String detail, Map<String, String> headers) {
        super(detail);
        this.status = status;
        this.code = code;
        this.title = title;
        this.headers = headers;
    }

    static ApiProblem forbidden(String detail) {
        return new ApiProblem(403, "forbidden", "Forbidden", detail);
    }

    Response toResponse() {
        Response.ResponseBuilder r = Response.status(status).type(MEDIA_TYPE).entity(body());
        headers.forEach(r::header);
        return r.build();
    }

    Body body() {
        return new Body(status, code, title, String.valueOf(getMessage()));
    }

    /** The JSON body. */
    public record Body(int status, String code, String title, String detail) {}
}
