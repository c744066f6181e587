package io.guardstream.kafka;

import java.util.List;

/** Names of GuardStream's topics, before the configurable prefix is applied. */
public final class Topics {

    /** In-flight moderation work from gateways ({@code GuardCheck}). */
    public static final String CHECKS = "guard.checks.v1";
    /** In-flight verdicts back to the asking gateway instance ({@code GuardVerdict}). */
    public static final String REPLIES = "guard.replies.v1";
    /** Completed request/response pairs ({@code Exchange}). */
    public static final String EXCHANGES = "guard.exchanges.v1";
    /** Every verdict, for subscribers ({@code GuardVerdict}). */
    public static final String VERDICTS = "guard.verdicts.v1";
    /** Real-time alerts ({@code Alert}). */
    public static final String ALERTS = "guard.alerts.v1";
    /** Records no consumer could read, raw bytes plus error headers. */
    public static final String DLQ = "guard.dlq.v1";
    /** Compacted topic where the embedded schema registry keeps its schemas. */
    public static final String SCHEMAS = "_schemas";

    /** Header naming the {@link #REPLIES} partition a check's verdict must go to. */
    public static final String REPLY_PARTITION_HEADER = "guardstream.reply.partition";

    public static final List<String> ALL = List.of(CHECKS, REPLIES, EXCHANGES, VERDICTS, ALERTS, DLQ);

    private Topics() {
    }

    public static String prefixed(String prefix, String topic) {
        return prefix == null || prefix.isEmpty() ? topic : prefix + topic;
    }
}
