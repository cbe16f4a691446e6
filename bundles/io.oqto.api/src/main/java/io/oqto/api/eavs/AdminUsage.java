package io.oqto.api.eavs;

import java.util.List;

/**
 * Every owner's usage over the last {@code days} days.
 *
 * @param total per owner, the whole period, highest cost first
 * @param daily one entry per day, today's (the last 24 hours) first
 */
public record AdminUsage(int days, List<OwnerUsage> total, List<DayUsage> daily) {

    /**
     * The usage of one 24-hour day counted back from now.
     *
     * @param daysAgo 0 for the last 24 hours, 1 for the 24 before, …
     * @param owners per owner that used eavs that day
     */
    public record DayUsage(int daysAgo, List<OwnerUsage> owners) {}
}
