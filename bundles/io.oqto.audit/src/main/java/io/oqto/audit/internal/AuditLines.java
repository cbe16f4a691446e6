package io.oqto.audit.internal;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.oqto.api.audit.AuditEvent;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;

/**
 * An event as one line of JSON. Jackson escapes every control character and quote, so a name holding a newline or
 * {@code ","actor":"root} stays inside its own string: no field, no line can be forged through input.
 */
final class AuditLines {

    private static final JsonFactory JSON = new JsonFactory();

    private AuditLines() {}

    static String line(AuditEvent e) {
        StringWriter out = new StringWriter();
        try (JsonGenerator g = JSON.createGenerator(out)) {
            g.writeStartObject();
            g.writeStringField("time", e.time().toString());
            g.writeStringField("actor", e.actor());
            g.writeStringField("role", e.role());
            g.writeStringField("action", e.action());
            g.writeStringField("target", e.target());
            g.writeStringField("result", e.result());
            g.writeStringField("detail", e.detail());
            g.writeStringField("request_id", e.requestId());
            g.writeStringField("source", e.source());
            g.writeEndObject();
        } catch (IOException impossible) {
            throw new UncheckedIOException(impossible);
        }
        return out.toString();
    }
}
