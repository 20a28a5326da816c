package com.example.balancer.leastrequest.internal;

/**
 * The parsed config of {@code least_request}: {@code {"choiceCount": n}}.
 *
 * <p>Immutable.
 *
 * @param choiceCount how many READY backends a pick compares, 2-10
 */
public record LeastRequestConfig(int choiceCount) {
  /** The config of {@code {}}: two choices, the power of two choices. */
  public static final LeastRequestConfig DEFAULT = new LeastRequestConfig(2);
}
