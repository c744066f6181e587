package io.guardstream.kafka;

/**
 * How GuardStream's topics are created when missing.
 *
 * @param prefix prepended to every topic name (e.g. {@code "prod."})
 * @param partitions partitions of the work and event topics
 * @param replyPartitions partitions of {@code guard.replies.v1}: at least the number of gateway instances
 * @param replicationFactor replicas of each topic (1 on a single broker)
 * @param retentionMs retention of the event topics; -1 keeps records forever
 */
public record TopicSettings(String prefix, int partitions, int replyPartitions, short replicationFactor, long retentionMs) {

    public static final int DEFAULT_PARTITIONS = 3;
    public static final int DEFAULT_REPLY_PARTITIONS = 8;
    public static final long DEFAULT_RETENTION_MS = 7L * 24 * 60 * 60 * 1000;

    public static TopicSettings defaults() {
        return new TopicSettings("", DEFAULT_PARTITIONS, DEFAULT_REPLY_PARTITIONS, (short) 1, DEFAULT_RETENTION_MS);
    }

    public String name(String topic) {
        return Topics.prefixed(prefix, topic);
    }
}
