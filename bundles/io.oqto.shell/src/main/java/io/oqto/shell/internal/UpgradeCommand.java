package io.oqto.shell.internal;

import java.net.URI;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.apache.karaf.features.Feature;
import org.apache.karaf.features.FeaturesService;
import org.apache.karaf.features.Repository;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;

/**
 * {@code oqto:upgrade <features-repository>}: installs the control plane's feature ({@code oqto-control-plane}) in the
 * version that repository holds, in place of the one installed — an upgrade, or a rollback when the repository is an
 * older one. Karaf replaces only the bundles that differ; while the REST bundle is swapped, requests wait at the API
 * gate. Prints what changed.
 */
@Service
@Command(
        scope = "oqto",
        name = "upgrade",
        description = "Install the control plane from a features repository (an upgrade, or a rollback)")
public class UpgradeCommand extends OqtoCommand {

    static final String FEATURE = "oqto-control-plane";
    private static final Set<String> SCHEMES = Set.of("mvn", "file", "http", "https");

    @Reference
    FeaturesService features;

    @Reference
    BundleContext context;

    @Argument(
            index = 0,
            name = "repository",
            required = true,
            description = "The features repository: mvn:io.oqto/oqto-features/VERSION/xml/features, file:…, https:…")
    String repository;

    @Override
    String auditTarget() {
        return String.valueOf(repository);
    }

    @Override
    void run() {
        URI uri = repositoryUri(repository);
        Map<String, String> before = oqtoBundles();
        String from;
        String to;
        try {
            from = installedVersion();
            features.addRepository(uri);
            Repository repo = features.getRepository(uri);
            Feature target = repo == null
                    ? null
                    : Arrays.stream(repo.getFeatures())
                            .filter(f -> f.getName().equals(FEATURE))
                            .findFirst()
                            .orElse(null);
            if (target == null) {
                throw new IllegalArgumentException(repository + " has no feature " + FEATURE);
            }
            to = target.getVersion();
            if (to.equals(from)) {
                out.printf("%s %s is installed already: nothing to do%n", FEATURE, to);
                return;
            }
            features.installFeature(FEATURE, to, EnumSet.of(FeaturesService.Option.Upgrade));
        } catch (IllegalArgumentException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException(
                    "the upgrade failed, the installed features are as they were: " + e.getMessage(), e);
        }
        out.printf("%s %s -> %s%n", FEATURE, from, to);
        Map<String, String> after = oqtoBundles();
        after.forEach((name, version) -> {
            String was = before.get(name);
            if (!version.equals(was)) {
                out.printf("  %s %s -> %s%n", name, was == null ? "(new)" : was, version);
            }
        });
        before.keySet().stream()
                .filter(name -> !after.containsKey(name))
                .forEach(name -> out.printf("  %s %s -> (removed)%n", name, before.get(name)));
    }

    /** The repository's address, refused unless Karaf can fetch it (and it cannot smuggle in a console command). */
    static URI repositoryUri(String repository) {
        URI uri;
        try {
            uri = URI.create(repository);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("not a repository address: " + repository);
        }
        if (uri.getScheme() == null || !SCHEMES.contains(uri.getScheme())) {
            throw new IllegalArgumentException(
                    "not a repository address: " + repository + " (mvn:, file:, http: or https:)");
        }
        return uri;
    }

    private String installedVersion() throws Exception {
        return Arrays.stream(features.listInstalledFeatures())
                .filter(f -> f.getName().equals(FEATURE))
                .map(Feature::getVersion)
                .findFirst()
                .orElse("(none)");
    }

    /** The platform's bundles and their versions, by symbolic name. */
    private Map<String, String> oqtoBundles() {
        Map<String, String> bundles = new TreeMap<>();
        for (Bundle b : context.getBundles()) {
            if (b.getSymbolicName() != null && b.getSymbolicName().startsWith("io.oqto.")) {
                bundles.put(b.getSymbolicName(), b.getVersion().toString());
            }
        }
        return bundles;
    }
}
