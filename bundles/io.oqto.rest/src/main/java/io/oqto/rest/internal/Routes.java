package io.oqto.rest.internal;

import java.lang.reflect.Method;
import javax.ws.rs.Path;
import javax.ws.rs.container.ResourceInfo;
import org.jspecify.annotations.Nullable;

/** The route a request matched, as its template: what audit lines and metrics name instead of the path itself. */
final class Routes {

    private Routes() {}

    /** {@code /api/v1/users/{user}/tokens}; null when no resource method matched (a 404, a refused request). */
    static @Nullable String template(@Nullable ResourceInfo resource) {
        Class<?> type = resource == null ? null : resource.getResourceClass();
        Method method = resource == null ? null : resource.getResourceMethod();
        if (type == null || method == null) {
            return null;
        }
        Path classPath = type.getAnnotation(Path.class);
        Path methodPath = method.getAnnotation(Path.class);
        String template = "/api/" + (classPath == null ? "" : classPath.value()) + "/"
                + (methodPath == null ? "" : methodPath.value());
        return template.replaceAll("/+", "/").replaceAll("(.)/$", "$1");
    }
}
