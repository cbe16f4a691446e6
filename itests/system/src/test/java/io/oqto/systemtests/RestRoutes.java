package io.oqto.systemtests;

import java.io.IOException;
import java.lang.annotation.Annotation;
import java.lang.reflect.Method;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.jar.JarFile;
import javax.ws.rs.HttpMethod;
import org.jspecify.annotations.Nullable;

/**
 * The routes of the REST bundle as its JAX-RS resource classes declare them ({@code GET /v1/users/{user}/tokens}),
 * read from the bundle's jar: what the published OpenAPI document must list, no more, no less.
 */
final class RestRoutes {

    private RestRoutes() {}

    static Set<String> declared() throws IOException, ClassNotFoundException, URISyntaxException {
        Path jar = Path.of(Class.forName("io.oqto.rest.internal.RestServer")
                .getProtectionDomain()
                .getCodeSource()
                .getLocation()
                .toURI());
        Set<String> routes = new TreeSet<>();
        for (String name : classNames(jar)) {
            Class<?> type = Class.forName(name, false, RestRoutes.class.getClassLoader());
            javax.ws.rs.Path base = type.getAnnotation(javax.ws.rs.Path.class);
            if (base == null) {
                continue;
            }
            for (Method m : type.getMethods()) {
                String verb = verb(m);
                if (verb == null) {
                    continue;
                }
                javax.ws.rs.Path sub = m.getAnnotation(javax.ws.rs.Path.class);
                routes.add(verb + " " + normalize("/" + base.value() + "/" + (sub == null ? "" : sub.value())));
            }
        }
        return routes;
    }

    /** {@code /a//{id: .+}/} → {@code /a/{id}}: the form OpenAPI paths have. */
    static String normalize(String path) {
        String p = path.replaceAll("\\{\\s*([A-Za-z0-9_]+)\\s*:[^}]*}", "{$1}").replaceAll("/+", "/");
        return p.length() > 1 && p.endsWith("/") ? p.substring(0, p.length() - 1) : p;
    }

    private static @Nullable String verb(Method m) {
        for (Annotation a : m.getAnnotations()) {
            HttpMethod http = a.annotationType().getAnnotation(HttpMethod.class);
            if (http != null) {
                return http.value();
            }
        }
        return null;
    }

    private static Set<String> classNames(Path jar) throws IOException {
        Set<String> names = new TreeSet<>();
        if (Files.isDirectory(jar)) {
            try (var files = Files.walk(jar)) {
                files.map(f -> jar.relativize(f).toString())
                        .filter(f -> f.startsWith("io/oqto/rest/internal/") && f.endsWith(".class"))
                        .forEach(f -> names.add(f.substring(0, f.length() - 6).replace('/', '.')));
            }
            return names;
        }
        try (JarFile j = new JarFile(jar.toFile())) {
            j.stream()
                    .map(e -> e.getName())
                    .filter(f -> f.startsWith("io/oqto/rest/internal/") && f.endsWith(".class"))
                    .forEach(f -> names.add(f.substring(0, f.length() - 6).replace('/', '.')));
        }
        return names;
    }
}
