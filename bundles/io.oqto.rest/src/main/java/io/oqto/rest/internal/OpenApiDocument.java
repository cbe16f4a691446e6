package io.oqto.rest.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import io.swagger.v3.core.converter.ModelConverters;
import io.swagger.v3.core.jackson.ModelResolver;
import io.swagger.v3.core.util.Json;
import io.swagger.v3.jaxrs2.Reader;
import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.PathItem;
import io.swagger.v3.oas.models.info.Info;
import io.swagger.v3.oas.models.info.License;
import io.swagger.v3.oas.models.media.Content;
import io.swagger.v3.oas.models.media.IntegerSchema;
import io.swagger.v3.oas.models.media.MediaType;
import io.swagger.v3.oas.models.media.ObjectSchema;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.media.StringSchema;
import io.swagger.v3.oas.models.responses.ApiResponse;
import io.swagger.v3.oas.models.responses.ApiResponses;
import io.swagger.v3.oas.models.security.SecurityRequirement;
import io.swagger.v3.oas.models.security.SecurityScheme;
import io.swagger.v3.oas.models.servers.Server;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code GET /api/openapi.json}: the REST API described by swagger-core's JAX-RS reader from the resource classes the
 * server publishes, so it cannot drift from them (a system test compares its routes with the classes'). What the
 * classes do not say is added here: how callers authenticate, and the error every route may answer —
 * {@code application/problem+json} with {@code {status, code, title, detail}} (docs/rest-api.md lists the codes).
 * Bodies are described in snake_case, as the API's own Jackson writes them.
 */
final class OpenApiDocument {

    /** Routes open without a caller (the auth filter's list), as OpenAPI paths. */
    static final Set<String> OPEN = Set.of("/health", "/v1/auth/login", "/v1/auth/link", "/openapi.json");

    private OpenApiDocument() {}

    /** The document for {@code resources}, as JSON. */
    static String json(List<Class<?>> resources, String version) {
        snakeCaseSchemas();
        OpenAPI base = new OpenAPI()
                .info(new Info()
                        .title("Oqto REST API")
                        .description("The control plane's API: every route a frontend uses (docs/rest-api.md).")
                        .version(version)
                        .license(new License().name("Apache-2.0")))
                .servers(List.of(new Server().url("/api")));
        OpenAPI api = new Reader(base).read(new LinkedHashSet<>(resources));
        describeAuthAndErrors(api);
        try {
            return Json.pretty().writeValueAsString(api);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("the OpenAPI document cannot be written: " + e.getMessage(), e);
        }
    }

    /** swagger-core's schema reader, told the API's naming; once per class loader (its converters are global). */
    private static synchronized void snakeCaseSchemas() {
        ModelConverters converters = ModelConverters.getInstance();
        if (converters.getConverters().stream().noneMatch(SnakeCase.class::isInstance)) {
            converters.addConverter(new SnakeCase());
        }
    }

    private static final class SnakeCase extends ModelResolver {
        SnakeCase() {
            super(Json.mapper().copy().setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE));
        }
    }

    private static void describeAuthAndErrors(OpenAPI api) {
        Components components = api.getComponents() == null ? new Components() : api.getComponents();
        components.addSchemas("Problem", problem());
        components.addSecuritySchemes(
                "bearer", new SecurityScheme().type(SecurityScheme.Type.HTTP).scheme("bearer"));
        components.addSecuritySchemes(
                "cookie",
                new SecurityScheme()
                        .type(SecurityScheme.Type.APIKEY)
                        .in(SecurityScheme.In.COOKIE)
                        .name("oqto_session"));
        api.setComponents(components);
        if (api.getPaths() == null) {
            return;
        }
        for (Map.Entry<String, PathItem> path : api.getPaths().entrySet()) {
            boolean open = OPEN.contains(path.getKey());
            for (Operation op : path.getValue().readOperations()) {
                ApiResponses responses = op.getResponses() == null ? new ApiResponses() : op.getResponses();
                successUnderItsStatus(responses);
                responses.addApiResponse(
                        "default",
                        new ApiResponse()
                                .description("An error: its code says which (docs/rest-api.md)")
                                .content(new Content()
                                        .addMediaType(
                                                ApiProblem.MEDIA_TYPE,
                                                new MediaType()
                                                        .schema(new Schema<>().$ref("#/components/schemas/Problem")))));
                op.setResponses(responses);
                if (!open) {
                    op.setSecurity(List.of(
                            new SecurityRequirement().addList("bearer"), new SecurityRequirement().addList("cookie")));
                }
            }
        }
    }

    /**
     * swagger-core files the body a method returns under {@code default}, which is the error's place here: a method
     * without {@code @ApiResponse}s answers 200 with it, or 204 when it returns nothing (JAX-RS's own statuses).
     * Methods that answer otherwise ({@code Response}: 201, 204, a stream) say so with {@code @ApiResponse}.
     */
    private static void successUnderItsStatus(ApiResponses responses) {
        ApiResponse generated = responses.remove("default");
        if (generated == null || responses.keySet().stream().anyMatch(s -> s.startsWith("2") || s.startsWith("3"))) {
            return;
        }
        boolean body = generated.getContent() != null && !generated.getContent().isEmpty();
        responses.addApiResponse(body ? "200" : "204", generated.description(body ? "OK" : "Done, nothing to say"));
    }

    private static Schema<?> problem() {
        return new ObjectSchema()
                .addProperty("status", new IntegerSchema().description("the HTTP status"))
                .addProperty("code", new StringSchema().description("stable, for programs: invalid_token, …"))
                .addProperty("title", new StringSchema())
                .addProperty("detail", new StringSchema().description("for people"))
                .required(List.of("status", "code", "title", "detail"));
    }
}
