package io.oqto.api.audit;

import org.osgi.annotation.versioning.ProviderType;

/** Where audited actions go: a private JSON-lines file with rotation, and the journal. */
@ProviderType
public interface AuditLog {

    /** Records {@code event}; never throws for an I/O problem (the action happened; the log says what it lost). */
    void record(AuditEvent event);
}
