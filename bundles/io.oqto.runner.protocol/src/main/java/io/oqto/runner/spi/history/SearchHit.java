package io.oqto.runner.spi.history;

/**
 * A message that matched a search.
 *
 * @param conversation the conversation's id
 * @param idx the message's place in it
 * @param snippet the matching text with some context
 */
public record SearchHit(String conversation, int idx, String role, String snippet, long createdAtMs) {}
