package io.oqto.rest.internal;

import java.util.function.Supplier;
import javax.ws.rs.GET;
import javax.ws.rs.Path;
import javax.ws.rs.Produces;
import javax.ws.rs.core.MediaType;
import org.jspecify.annotations.Nullable;

/**
 * {@code GET /api/openapi.json} (public): the document, made at the first request (reading the classes takes a moment
 * the API's start need not wait for) and kept (see {@link OpenApiDocument}).
 */
@Path("/openapi.json")
public final class OpenApiResource {

    private final Supplier<String> make;
    private volatile @Nullable String document;

    OpenApiResource(Supplier<String> make) {
        this.make = make;
    }

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    public String document() {
        String d = document;
        if (d == null) {
            synchronized (this) {
                d = document;
                if (d == null) {
                    d = make.get();
                    document = d;
                }
            }
        }
        return d;
    }
}
