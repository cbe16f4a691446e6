package io.oqto.api.runner;

/**
 * Result of one ping round trip.
 *
 * @param user the platform user whose runner answered
 * @param roundTripMicros time from sending the request to reading the reply
 */
public record PingResult(String user, long roundTripMicros) {}
