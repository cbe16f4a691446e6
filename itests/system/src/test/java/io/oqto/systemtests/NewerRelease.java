package io.oqto.systemtests;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarInputStream;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;

/**
 * A newer release of the control plane, as an operator would be handed one: a features repository whose
 * {@code oqto-control-plane} feature is a version up and carries a visibly changed bundle — {@code io.oqto.rest} one
 * version up, which {@code /api/health} reports. Made from the installed distribution's own repository.
 */
final class NewerRelease {

    private NewerRelease() {}

    /** Writes the release into {@code dir} and returns its repository's address ({@code file:…/features.xml}). */
    static String write(Path distribution, String current, String newer, Path dir) throws IOException {
        Path system = distribution.resolve("system/io/oqto");
        String features = Files.readString(
                system.resolve("oqto-features/" + current + "/oqto-features-" + current + "-features.xml"));
        Path rest = dir.resolve("io.oqto.rest-" + newer + ".jar");
        withBundleVersion(system.resolve("io.oqto.rest/" + current + "/io.oqto.rest-" + current + ".jar"), rest, newer);

        int start = features.indexOf("<feature name=\"oqto-control-plane\"");
        int end = features.indexOf("\n    </feature>", start) + "\n    </feature>".length();
        String feature = features.substring(start, end)
                .replace(
                        "<feature name=\"oqto-control-plane\" version=\"" + current + "\"",
                        "<feature name=\"oqto-control-plane\" version=\"" + newer + "\"")
                .replace("mvn:io.oqto/io.oqto.rest/" + current, rest.toUri().toString());
        Path xml = dir.resolve("features.xml");
        Files.writeString(
                xml,
                "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                        + "<features name=\"oqto-" + newer
                        + "\" xmlns=\"http://karaf.apache.org/xmlns/features/v1.6.0\">\n"
                        + "    " + feature + "\n</features>\n");
        return xml.toUri().toString();
    }

    /** A copy of the bundle {@code from} with another Bundle-Version, nothing else changed. */
    static void withBundleVersion(Path from, Path to, String version) throws IOException {
        try (InputStream in = Files.newInputStream(from);
                JarInputStream jar = new JarInputStream(in);
                OutputStream out = Files.newOutputStream(to)) {
            Manifest manifest = new Manifest(jar.getManifest());
            manifest.getMainAttributes().put(new Attributes.Name("Bundle-Version"), version);
            try (JarOutputStream copy = new JarOutputStream(out, manifest)) {
                for (JarEntry e = jar.getNextJarEntry(); e != null; e = jar.getNextJarEntry()) {
                    copy.putNextEntry(new JarEntry(e.getName()));
                    jar.transferTo(copy);
                    copy.closeEntry();
                }
            }
        }
    }
}
