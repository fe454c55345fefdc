package io.devk8s.service;

import java.time.Duration;

/**
 * Whether and how long a command waits for the cluster.
 *
 * @param enabled false with {@code --no-wait}
 * @param timeout {@code --timeout}
 */
public record WaitPolicy(boolean enabled, Duration timeout) {
}
