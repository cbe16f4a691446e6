package io.oqto.rest.internal;

import io.oqto.api.runner.RunnerGateway;
import java.io.IOException;
import java.io.InputStream;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.ws.rs.DELETE;
import javax.ws.rs.GET;
import javax.ws.rs.PUT;
import javax.ws.rs.Path;
import javax.ws.rs.PathParam;
import javax.ws.rs.QueryParam;
import javax.ws.rs.core.Context;
import javax.ws.rs.core.MediaType;
import javax.ws.rs.core.Response;
import javax.ws.rs.core.SecurityContext;
import javax.ws.rs.core.StreamingOutput;

/**
 * A user's workspace files, through their runner (which confines every path to the workspace):
 * {@code GET …/files/{path}} lists a directory as JSON or streams a file, {@code PUT} writes a file
 * atomically, {@code DELETE} removes a file or (with {@code ?recursive=true}) a directory.
 */
@Path("/v1/users/{user}/files")
public final class FilesResource {

    /** What fits in one runner frame once base64-encoded; larger uploads need chunking (not yet). */
    static final int MAX_UPLOAD = 700 * 1024;
    private static final int CHUNK = 512 * 1024;

    private final RunnerGateway runners;

    FilesResource(RunnerGateway runners) {
        this.runners = runners;
    }

    @GET
    public Response root(@PathParam("user") String user, @Context SecurityContext security) {
        return get(user, "", security);
    }

    @GET
    @Path("{path: .+}")
    public Response get(@PathParam("user") String user, @PathParam("path") String path, @Context SecurityContext security) {
        String target = RunnerResource.authorize(user, security);
        Map<String, Object> stat = runners.request(target, "stat", Map.of("path", path));
        if (!Boolean.TRUE.equals(stat.get("exists"))) {
            throw new ApiProblem(404, "path_not_found", "Not found", "no such file or directory: " + path);
        }
        if ("directory".equals(stat.get("kind"))) {
            Map<String, Object> listing = runners.request(target, "list_directory", Map.of("path", path, "include_hidden", true));
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("path", path);
            body.put("entries", listing.get("entries"));
            return Response.ok(body, MediaType.APPLICATION_JSON).build();
        }
        long size = ((Number) stat.get("size")).longValue();
        StreamingOutput stream = out -> {
            long offset = 0;
            while (true) {
                Map<String, Object> chunk = runners.request(target, "read_file",
                        Map.of("path", path, "offset", offset, "length", CHUNK));
                byte[] data = Base64.getDecoder().decode((String) chunk.get("data_base64"));
                out.write(data);
                offset += data.length;
                if (Boolean.TRUE.equals(chunk.get("eof")) || data.length == 0) {
                    return;
                }
            }
        };
        return Response.ok(stream, MediaType.APPLICATION_OCTET_STREAM).header("Content-Length", size).build();
    }

    @PUT
    @Path("{path: .+}")
    public Response put(@PathParam("user") String user, @PathParam("path") String path,
            @QueryParam("parents") String parentsParam, InputStream body,
            @Context SecurityContext security) throws IOException {
        String target = RunnerResource.authorize(user, security);
        boolean parents = QueryParams.flag("parents", parentsParam, false);
        byte[] data = body.readNBytes(MAX_UPLOAD + 1);
        if (data.length > MAX_UPLOAD) {
            throw new ApiProblem(413, "payload_too_large", "Payload too large",
                    "uploads are limited to " + MAX_UPLOAD + " bytes for now");
        }
        Map<String, Object> reply = runners.request(target, "write_file", Map.of("path", path,
                "data_base64", Base64.getEncoder().encodeToString(data), "create_parents", parents));
        return Response.ok(Map.of("path", path, "bytes_written", reply.get("bytes_written")), MediaType.APPLICATION_JSON).build();
    }

    @DELETE
    @Path("{path: .+}")
    public Response delete(@PathParam("user") String user, @PathParam("path") String path,
            @QueryParam("recursive") String recursiveParam, @Context SecurityContext security) {
        String target = RunnerResource.authorize(user, security);
        boolean recursive = QueryParams.flag("recursive", recursiveParam, false);
        runners.request(target, "delete_path", Map.of("path", path, "recursive", recursive));
        return Response.noContent().build();
    }
}
