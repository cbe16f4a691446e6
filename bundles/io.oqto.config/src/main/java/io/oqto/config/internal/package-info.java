/** Reads the operator's TOML file strictly and publishes its sections to Configuration Admin. */
@NullMarked
package io.oqto.config.internal;

import org.jspecify.annotations.NullMarked;
