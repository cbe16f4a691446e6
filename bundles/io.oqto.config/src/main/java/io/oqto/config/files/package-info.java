/**
 * Reading config.toml outside Karaf (the root helper {@code oqto-usermgr} has this jar on its class path), with
 * the same schema and parser as the control plane. Deliberately not exported: no bundle imports it.
 */
@NullMarked
package io.oqto.config.files;

import org.jspecify.annotations.NullMarked;
