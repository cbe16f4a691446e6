package io.oqto.audit.internal;

import io.oqto.api.audit.AuditEvent;
import io.oqto.api.audit.AuditLog;
import io.oqto.api.unix.DeploymentMode;
import io.oqto.api.unix.Home;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.jspecify.annotations.Nullable;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The audit log: each event one JSON line in a private, rotated file ({@code [audit] file}) and, where systemd's
 * journal runs, the same line in the journal. A line that cannot be written is reported in the platform's log (the
 * action, not its details) — the action itself has happened and is not undone.
 */
@Component(
        service = AuditLog.class,
        configurationPid = {"oqto.server", "oqto.audit"},
        configurationPolicy = ConfigurationPolicy.OPTIONAL)
public final class AuditLogComponent implements AuditLog {

    private static final Logger LOG = LoggerFactory.getLogger(AuditLogComponent.class);

    private final AuditFile file;
    private final @Nullable Journal journal;

    @Activate
    public AuditLogComponent(AuditConfig config, BundleContext context) {
        Path path = !config.file().isEmpty()
                ? Path.of(config.file())
                : !config.stateDir().isEmpty()
                        ? Path.of(config.stateDir(), "audit.log")
                        : defaultFile(DeploymentMode.of(context).isMultiUser());
        this.file = new AuditFile(path, Math.max(1, config.maxSizeMb()) << 20, (int) Math.max(1, config.keep()));
        this.journal = config.journal() ? openJournal(Path.of(config.journalSocket())) : null;
        LOG.info("audit log: {}{}", path, journal == null ? "" : " and the journal (" + config.journalSocket() + ")");
    }

    static Path defaultFile(boolean multiUser) {
        return multiUser ? Path.of("/var/lib/oqto/audit.log") : Home.state().resolve("oqto/audit.log");
    }

    private static @Nullable Journal openJournal(Path socket) {
        if (!Files.exists(socket)) {
            return null;
        }
        try {
            return new Journal(socket);
        } catch (IOException e) {
            LOG.warn("the journal at {} cannot be written: {}", socket, e.toString());
            return null;
        }
    }

    @Override
    public void record(AuditEvent event) {
        String line = AuditLines.line(event);
        try {
            file.append(line);
        } catch (IOException e) {
            LOG.error(
                    "audit line lost ({} {} by {}): {}",
                    event.action(),
                    event.result(),
                    event.requestId(),
                    e.toString());
        }
        Journal j = journal;
        if (j != null) {
            try {
                j.send(line, !event.result().equals("ok"));
            } catch (IOException e) {
                LOG.warn("audit line not sent to the journal ({}): {}", event.requestId(), e.toString());
            }
        }
    }

    @Deactivate
    void deactivate() throws IOException {
        if (journal != null) {
            journal.close();
        }
    }
}
