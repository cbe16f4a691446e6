/**
 * A test double for hstry, the chat-history daemon: its three gRPC services (package {@code hstry.service}) over
 * the in-process transport, TCP on 127.0.0.1 with {@code service.port}, or a Unix socket {@code service.sock}, as
 * hstry's clients discover it (services-spec §1).
 */
@NullMarked
package io.oqto.testing.hstry;

import org.jspecify.annotations.NullMarked;
