package io.oqto.eavs.internal;

/** What every user's key gets: budget per window and requests per minute ({@code [eavs]}). */
record KeyDefaults(double budgetUsd, String budgetWindow, long rpmLimit) {}
