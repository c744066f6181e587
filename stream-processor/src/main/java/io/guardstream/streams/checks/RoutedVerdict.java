package io.guardstream.streams.checks;

import io.guardstream.avro.GuardVerdict;

/**
 * A verdict and the reply partition of the gateway instance that asked for it.
 *
 * @param replyPartition null when the check named none (the verdict is then partitioned by key)
 */
public record RoutedVerdict(GuardVerdict verdict, Integer replyPartition) {
}
