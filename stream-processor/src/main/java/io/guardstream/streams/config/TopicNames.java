package io.guardstream.streams.config;

import java.util.List;

import io.guardstream.kafka.Topics;

/** GuardStream's topic names with the configured prefix applied. */
public record TopicNames(String prefix) {

    public static final TopicNames DEFAULT = new TopicNames("");

    public TopicNames {
        prefix = prefix == null ? "" : prefix;
    }

    public String checks() {
        return Topics.prefixed(prefix, Topics.CHECKS);
    }

    public String replies() {
        return Topics.prefixed(prefix, Topics.REPLIES);
    }

    public String exchanges() {
        return Topics.prefixed(prefix, Topics.EXCHANGES);
    }

    public String verdicts() {
        return Topics.prefixed(prefix, Topics.VERDICTS);
    }

    public String alerts() {
        return Topics.prefixed(prefix, Topics.ALERTS);
    }

    public String dlq() {
        return Topics.prefixed(prefix, Topics.DLQ);
    }

    public List<String> all() {
        return List.of(checks(), replies(), exchanges(), verdicts(), alerts(), dlq());
    }
}
