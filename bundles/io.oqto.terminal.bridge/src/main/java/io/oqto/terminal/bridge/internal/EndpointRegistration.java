package io.oqto.terminal.bridge.internal;

import org.ops4j.pax.web.service.WebContainer;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;

/**
 * Puts {@link TerminalEndpoint} into Jetty, on its own and as early as the bundle starts (its start level is below the
 * REST bundle's): adding a JSR 356 endpoint makes Pax Web restart the web context, which must happen before the REST
 * API answers, not under it. Registered as a class through Pax Web's container, not as a whiteboard instance: for an
 * instance Pax Web puts in a configurator of its own, and the handshake's checks ({@link TerminalHandshake}) would
 * not run. Until the {@link TerminalBridge} is active, a tab is closed with "terminals are not available".
 */
@Component(
        immediate = true,
        service = {})
public final class EndpointRegistration {

    private final WebContainer web;

    @Activate
    public EndpointRegistration(@Reference WebContainer web) {
        this.web = web;
        web.registerWebSocket(TerminalEndpoint.class, null);
    }

    @Deactivate
    void deactivate() {
        web.unregisterWebSocket(TerminalEndpoint.class, null);
    }
}
