package io.oqto.agent.internal;

import io.oqto.api.unix.ProgramLookup;
import java.util.EnumSet;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.apache.karaf.features.FeaturesService;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Installs the feature of the history store {@code [history] store} chooses and uninstalls the other, so a runner
 * carries only the store it uses (the gRPC stack only where hstry is used), and a changed {@code config.toml}
 * switches stores without a restart. Sessions keep their turns in the replay queue while no store is there.
 */
@Component(configurationPid = "oqto.history", configurationPolicy = ConfigurationPolicy.OPTIONAL, immediate = true)
@Designate(ocd = HistoryConfig.class)
public final class HistoryFeatures {

    private static final Logger LOG = LoggerFactory.getLogger(HistoryFeatures.class);

    private final FeaturesService features;
    /** Feature installs take seconds and start bundles: never on the thread that activates components. */
    private final ExecutorService worker = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "oqto-history-features");
        t.setDaemon(true);
        return t;
    });

    @Activate
    public HistoryFeatures(@Reference FeaturesService features, HistoryConfig config) {
        this.features = features;
        modified(config);
    }

    @Modified
    void modified(HistoryConfig config) {
        HistoryChoice choice = HistoryChoice.of(config.store(), ProgramLookup.find(config.hstry()) != null);
        worker.execute(() -> apply(choice));
    }

    @Deactivate
    void deactivate() {
        worker.shutdownNow();
    }

    private void apply(HistoryChoice choice) {
        EnumSet<FeaturesService.Option> options = EnumSet.of(FeaturesService.Option.NoAutoRefreshBundles);
        try {
            String wanted = choice.feature();
            if (wanted != null && !installed(wanted)) {
                LOG.info("history store {}: installing feature {}", choice.wire(), wanted);
                features.installFeature(wanted, options);
            }
            for (HistoryChoice other : HistoryChoice.values()) {
                String feature = other.feature();
                if (other != choice && feature != null && installed(feature)) {
                    LOG.info("history store {}: uninstalling feature {}", choice.wire(), feature);
                    features.uninstallFeature(feature, options);
                }
            }
        } catch (Exception e) {
            // The sessions' turns wait in the replay queue; the reason is in the log and in the runner's status.
            LOG.error("history store {}: cannot install its feature: {}", choice.wire(), e.getMessage(), e);
        }
    }

    private boolean installed(String feature) throws Exception {
        for (var f : features.listInstalledFeatures()) {
            if (f.getName().equals(feature)) {
                return true;
            }
        }
        return false;
    }
}
