package io.guardstream.streams.checks;

import java.util.Optional;
import java.util.Set;

import org.apache.kafka.streams.processor.StreamPartitioner;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Sends each verdict to the reply partition of the gateway instance that asked; out-of-range partitions fall back to the key. */
final class ReplyPartitioner implements StreamPartitioner<String, RoutedVerdict> {

    private static final Logger log = LoggerFactory.getLogger(ReplyPartitioner.class);

    @Override
    public Optional<Set<Integer>> partitions(String topic, String key, RoutedVerdict value, int numPartitions) {
        Integer partition = value == null ? null : value.replyPartition();
        if (partition == null) {
            return Optional.empty();
        }
        if (partition < 0 || partition >= numPartitions) {
            log.warn("Check {} asks for reply partition {} but {} has {} partitions; partitioning by key",
                    value.verdict().getCheckId(), partition, topic, numPartitions);
            return Optional.empty();
        }
        return Optional.of(Set.of(partition));
    }
}
