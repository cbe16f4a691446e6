package io.oqto.gate.internal;

import org.apache.cxf.transport.http.DestinationRegistry;
import org.apache.cxf.transport.servlet.CXFNonSpringServlet;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * {@code /api/*}: CXF's servlet over CXF's own registry of endpoints (where the REST bundle's endpoint is published),
 * registered on the Http Whiteboard beside {@link ApiGateFilter}, so that the gate runs in front of it. CXF registers
 * a servlet of its own on the Http Service at the same path; this one is ranked above it and shadows it (and it
 * serves again, as before, should this bundle be stopped).
 */
@Component(
        service = javax.servlet.Servlet.class,
        property = {
            "osgi.http.whiteboard.servlet.name=oqto-api",
            "osgi.http.whiteboard.servlet.pattern=/api/*",
            "osgi.http.whiteboard.servlet.asyncSupported=true",
            "servlet.init.hide-service-list-page=true",
            "service.ranking:Integer=100"
        })
public final class ApiServlet extends CXFNonSpringServlet {

    private static final long serialVersionUID = 1L;

    @Activate
    public ApiServlet(@Reference DestinationRegistry endpoints) {
        super(endpoints, false);
    }
}
