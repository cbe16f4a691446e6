package io.oqto.api.metrics;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * A value that exists now (open event streams, for instance), offered as a service: the metrics implementation reads
 * every registered gauge at each scrape, so a gauge leaves the scrape with its bundle and comes back with it.
 */
@ConsumerType
public interface Gauge {

    /** The metric's name, {@code oqto_} and snake case, unique among gauges. */
    String name();

    /** One line saying what it counts. */
    String help();

    /** The value now; cheap, never blocking. */
    double value();
}
