package io.lowbit.accel.resource;

/**
 * One component's share of an estimate.
 *
 * @param component what it is, e.g. {@code requantizers}
 * @param count     how many of the component's unit (multipliers, PE positions, slots, requantizers, banks...)
 * @param resources its resources
 */
public record ResourceTerm(String component, long count, Resources resources) {
}
