/** Reads the operator's TOML file strictly and publishes its sections to Configuration Admin. */
package io.oqto.config.internal;
