package io.oqto.rest.internal;

import io.oqto.api.runner.RunnerGateway;
import io.oqto.api.runner.files.AbortUpload;
import io.oqto.api.runner.files.BeginUpload;
import io.oqto.api.runner.files.DeletePath;
import io.oqto.api.runner.files.DirectoryListing;
import io.oqto.api.runner.files.FileContent;
import io.oqto.api.runner.files.FileStat;
import io.oqto.api.runner.files.FileWritten;
import io.oqto.api.runner.files.FinishUpload;
import io.oqto.api.runner.files.ListDirectory;
import io.oqto.api.runner.files.ReadFile;
import io.oqto.api.runner.files.Stat;
import io.oqto.api.runner.files.UploadChunk;
import io.oqto.api.runner.files.UploadStarted;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import java.io.IOException;
import java.io.InputStream;
import javax.ws.rs.DELETE;
import javax.ws.rs.GET;
import javax.ws.rs.HeaderParam;
import javax.ws.rs.PUT;
import javax.ws.rs.Path;
import javax.ws.rs.PathParam;
import javax.ws.rs.QueryParam;
import javax.ws.rs.core.Context;
import javax.ws.rs.core.MediaType;
import javax.ws.rs.core.Response;
import javax.ws.rs.core.SecurityContext;
import javax.ws.rs.core.StreamingOutput;
import org.jspecify.annotations.Nullable;

/**
 * A user's workspace files, through their runner (which confines every path to the workspace):
 * {@code GET …/files/{path}} lists a directory as JSON or streams a file, {@code PUT} streams the body into a file
 * (in chunks, replacing the file atomically at the end; up to the runner's {@code [workspace] max_upload_mb}),
 * {@code DELETE} removes a file or (with {@code ?recursive=true}) a directory.
 */
@Path("/v1/users/{user}/files")
public final class FilesResource {

    private final RunnerGateway runners;

    FilesResource(RunnerGateway runners) {
        this.runners = runners;
    }

    @GET
    @ApiResponse(
            responseCode = "200",
            description = "The workspace's top directory",
            content =
                    @Content(
                            mediaType = MediaType.APPLICATION_JSON,
                            schema = @Schema(implementation = DirectoryListing.class)))
    public Response root(@PathParam("user") String user, @Context SecurityContext security) {
        return get(user, "", security);
    }

    @GET
    @Path("{path: .+}")
    @ApiResponse(
            responseCode = "200",
            description = "A directory's listing, or the file's bytes",
            content = {
                @Content(
                        mediaType = MediaType.APPLICATION_JSON,
                        schema = @Schema(implementation = DirectoryListing.class)),
                @Content(
                        mediaType = MediaType.APPLICATION_OCTET_STREAM,
                        schema = @Schema(type = "string", format = "binary"))
            })
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
    @ApiResponse(
            responseCode = "200",
            description = "The file was written",
            content =
                    @Content(
                            mediaType = MediaType.APPLICATION_JSON,
                            schema = @Schema(implementation = FileWritten.class)))
    public Response put(
            @PathParam("user") String user,
            @PathParam("path") String path,
            @QueryParam("parents") String parentsParam,
            @HeaderParam("Content-Length") @Nullable Long lengthParam,
            InputStream body,
            @Context SecurityContext security)
            throws IOException {
        String target = RunnerResource.authorize(user, security);
        boolean parents = QueryParams.flag("parents", parentsParam, false);
        long size = lengthParam == null ? -1 : lengthParam;
        FileWritten written = upload(runners, target, path, parents, size, body);
        return Response.ok(written, MediaType.APPLICATION_JSON).build();
    }

    /**
     * Streams {@code body} into {@code path} through an upload on the runner (protocol 1.7): the runner refuses a
     * size over its limit at once, or the chunk that passes it; whatever fails, the upload is aborted and the file
     * left as it was.
     */
    static FileWritten upload(
            RunnerGateway runners, String user, String path, boolean parents, long size, InputStream body)
            throws IOException {
        UploadStarted started = runners.call(user, new BeginUpload(path, parents, size < 0 ? null : size));
        boolean done = false;
        try {
            byte[] buffer = new byte[UploadChunk.MAX_BYTES];
            long offset = 0;
            int n;
            while ((n = body.readNBytes(buffer, 0, buffer.length)) > 0) {
                runners.call(user, UploadChunk.of(started.upload(), offset, buffer, n));
                offset += n;
            }
            FileWritten written = runners.call(user, new FinishUpload(started.upload()));
            done = true;
            return written;
        } finally {
            if (!done) {
                try {
                    runners.call(user, new AbortUpload(started.upload()));
                } catch (RuntimeException e) {
                    // Gone already (refused as too large, or swept): nothing is left to abort.
                }
            }
        }
    }

    @DELETE
    @Path("{path: .+}")
    @ApiResponse(responseCode = "204", description = "The path is gone")
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
