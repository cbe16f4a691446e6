/** The web UI: static files from this bundle, served at {@code /} with security headers on every answer. */
@NullMarked
package io.oqto.webui.internal;

import org.jspecify.annotations.NullMarked;
