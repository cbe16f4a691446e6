package io.oqto.rest.internal;

import io.oqto.api.runner.RunnerGateway;
import io.oqto.api.runner.files.DeletePath;
import io.oqto.api.runner.files.FileContent;
import io.oqto.api.runner.files.FileStat;
import io.oqto.api.runner.files.FileWritten;
import io.oqto.api.runner.files.ListDirectory;
import io.oqto.api.runner.files.ReadFile;
import io.oqto.api.runner.files.Stat;
import io.oqto.api.runner.files.WriteFile;
import java.io.IOException;
import java.io.InputStream;
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
    public Response get(
            @PathParam("user") String user, @PathParam("path") String path, @Context SecurityContext security) {
        String target = RunnerResource.authorize(user, security);
        FileStat stat = runners.call(target, new Stat(path));
        if (!stat.exists()) {
            throw new ApiProblem(404, "path_not_found", "Not found", "no such file or directory: " + path);
        }
        if (stat.isDirectory()) {
            return Response.ok(runners.call(target, new ListDirectory(path, true)), MediaType.APPLICATION_JSON)
                    .build();
        }
        StreamingOutput stream = out -> {
            long offset = 0;
            while (true) {
                FileContent chunk = runners.call(target, new ReadFile(path, offset, ReadFile.MAX_LENGTH));
                byte[] data = chunk.data();
                out.write(data);
                offset += data.length;
                if (chunk.eof() || data.length == 0) {
                    return;
                }
            }
        };
        return Response.ok(stream, MediaType.APPLICATION_OCTET_STREAM)
                .header("Content-Length", stat.size())
                .build();
    }

    @PUT
    @Path("{path: .+}")
    public Response put(
            @PathParam("user") String user,
            @PathParam("path") String path,
            @QueryParam("parents") String parentsParam,
            InputStream body,
            @Context SecurityContext security)
            throws IOException {
        String target = RunnerResource.authorize(user, security);
        boolean parents = QueryParams.flag("parents", parentsParam, false);
        byte[] data = body.readNBytes(MAX_UPLOAD + 1);
        if (data.length > MAX_UPLOAD) {
            throw new ApiProblem(
                    413,
                    "payload_too_large",
                    "Payload too large",
                    "uploads are limited to " + MAX_UPLOAD + " bytes for now");
        }
        FileWritten written = runners.call(target, WriteFile.of(path, data, parents));
        return Response.ok(written, MediaType.APPLICATION_JSON).build();
    }

    @DELETE
    @Path("{path: .+}")
    public Response delete(
            @PathParam("user") String user,
            @PathParam("path") String path,
            @QueryParam("recursive") String recursiveParam,
            @Context SecurityContext security) {
        String target = RunnerResource.authorize(user, security);
        boolean recursive = QueryParams.flag("recursive", recursiveParam, false);
        runners.call(target, new DeletePath(path, recursive));
        return Response.noContent().build();
    }
}
