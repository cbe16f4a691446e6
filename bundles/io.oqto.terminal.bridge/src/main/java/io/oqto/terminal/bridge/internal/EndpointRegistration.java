package io.oqto.terminal.bridge.internal;

import java.io.IOException;
import java.util.Dictionary;
import org.ops4j.pax.web.service.WebContainer;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Puts {@link TerminalEndpoint} into Jetty, on its own and as early as the bundle starts (its start level is below the
 * REST bundle's). Registered as a class through Pax Web's container, not as a whiteboard instance: for an instance
 * Pax Web puts in a configurator of its own, and the handshake's checks ({@link TerminalHandshake}) would not run.
 * Until the {@link TerminalBridge} is active, a tab is closed with "terminals are not available".
 *
 * <p>Adding (and removing) a JSR 356 endpoint makes Pax Web restart the web context, and a CXF servlet restarted that
 * way answers 404 to every REST route from then on (its destinations are lost; seen in CI when CXF's servlet came
 * up before this registration). So after each change the CXF servlet is made anew: its configuration
 * ({@code org.apache.cxf.osgi}) is updated as it is, and CXF's servlet exporter registers a fresh servlet, which
 * finds the REST endpoint.
 */
@Component(
        immediate = true,
        service = {})
public final class EndpointRegistration {

    static final String CXF_SERVLET_PID = "org.apache.cxf.osgi";

    private static final Logger LOG = LoggerFactory.getLogger(EndpointRegistration.class);

    private final WebContainer web;
    private final ConfigurationAdmin configs;

    @Activate
    public EndpointRegistration(@Reference WebContainer web, @Reference ConfigurationAdmin configs) {
        this.web = web;
        this.configs = configs;
        web.registerWebSocket(TerminalEndpoint.class, null);
        renewCxfServlet();
    }

    @Deactivate
    void deactivate() {
        web.unregisterWebSocket(TerminalEndpoint.class, null);
        renewCxfServlet();
    }

    private void renewCxfServlet() {
        try {
            Configuration cxf = configs.getConfiguration(CXF_SERVLET_PID, null);
            Dictionary<String, Object> properties = cxf.getProperties();
            if (properties != null) {
                cxf.update(properties);
            }
        } catch (IOException | RuntimeException e) {
            LOG.warn("could not renew CXF's servlet after the web context restarted: {}", e.toString());
        }
    }
}
