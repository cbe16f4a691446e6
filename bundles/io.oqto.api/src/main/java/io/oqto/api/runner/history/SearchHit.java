package io.oqto.api.runner.history;

/** A message that matched: its conversation and place, role, the matching text in context, and when it was made. */
public record SearchHit(String conversation, int idx, String role, String snippet, String createdAt) {}
