package io.oqto.workspace.internal;

import io.oqto.api.unix.Home;
import io.oqto.runner.protocol.Frame;
import io.oqto.runner.protocol.ProtocolException;
import io.oqto.runner.spi.ConfinedWorkspace;
import io.oqto.runner.spi.RunnerOperation;
import io.oqto.runner.spi.WorkspacePaths;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.util.Set;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Registers the file operations with the runner's socket server. The workspace root is
 * {@code [workspace] root}, by default {@code ~/oqto} of the user the runner runs as (created 0700).
 */
@Component(
        configurationPid = "oqto.workspace",
        configurationPolicy = ConfigurationPolicy.REQUIRE,
        service = {RunnerOperation.class, WorkspacePaths.class})
@Designate(ocd = WorkspaceConfig.class)
public final class WorkspaceFiles implements RunnerOperation, WorkspacePaths {

    static final Set<String> TYPES = Set.of(
            "list_directory",
            "stat",
            "read_file",
            "write_file",
            "create_directory",
            "delete_path",
            "rename_path",
            "begin_upload",
            "upload_chunk",
            "finish_upload",
            "abort_upload");
    private static final Logger LOG = LoggerFactory.getLogger(WorkspaceFiles.class);

    private final ConfinedWorkspace guard;
    private final FileOperations operations;
    private final Uploads uploads;

    @Activate
    public WorkspaceFiles(WorkspaceConfig config) throws IOException {
        this(
                config.root().isEmpty() ? Home.current().resolve("oqto") : Path.of(config.root()),
                config.maxUploadMb() << 20);
    }

    WorkspaceFiles(Path root) throws IOException {
        this(root, 1024L << 20);
    }

    WorkspaceFiles(Path root, long maxUploadBytes) throws IOException {
        if (!Files.isDirectory(root)) {
            Files.createDirectories(
                    root, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        }
        this.guard = new ConfinedWorkspace(root);
        this.uploads = new Uploads(guard, maxUploadBytes, Clock.systemUTC());
        this.operations = new FileOperations(guard, uploads);
        LOG.info("workspace file access confined to {}", root);
    }

    /** Open uploads end with the bundle: their temporary files are removed. */
    @Deactivate
    void deactivate() {
        uploads.close();
    }

    @Override
    public Path root() {
        return guard.root();
    }

    @Override
    public Path existing(String requested) throws ProtocolException {
        return guard.existing(requested);
    }

    @Override
    public Path forWrite(String requested) throws ProtocolException {
        return guard.forWrite(requested);
    }

    @Override
    public Set<String> types() {
        return TYPES;
    }

    @Override
    public Frame handle(Frame request) throws ProtocolException {
        return operations.handle(request);
    }
}
