/** A test double for mmry's HTTP API (services-spec §3.1, §3.4): the per-user daemon and the central embeddings service. */
@NullMarked
package io.oqto.testing.mmry;

import org.jspecify.annotations.NullMarked;
