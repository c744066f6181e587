package io.guardstream.streams.dlq;

import java.nio.charset.StandardCharsets;

import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.errors.ErrorHandlerContext;

/** Builds dead-letter records: the source record's raw key and value plus headers saying where it came from and why it failed. */
public final class DeadLetters {

    public static final String HEADER_SOURCE_TOPIC = "guardstream.dlq.source.topic";
    public static final String HEADER_SOURCE_PARTITION = "guardstream.dlq.source.partition";
    public static final String HEADER_SOURCE_OFFSET = "guardstream.dlq.source.offset";
    public static final String HEADER_EXCEPTION = "guardstream.dlq.exception";
    public static final String HEADER_MESSAGE = "guardstream.dlq.message";
    public static final String HEADER_STAGE = "guardstream.dlq.stage";
    public static final String HEADER_PROCESSOR = "guardstream.dlq.processor";

    private static final int MAX_MESSAGE_CHARS = 2_000;

    private DeadLetters() {
    }

    public static ProducerRecord<byte[], byte[]> record(String dlqTopic, String stage, byte[] key, byte[] value,
                                                        ErrorHandlerContext context, Exception exception) {
        Headers headers = new RecordHeaders();
        if (context.headers() != null) {
            context.headers().forEach(h -> {
                if (!h.key().startsWith("guardstream.dlq.")) {
                    headers.add(h);
                }
            });
        }
        put(headers, HEADER_SOURCE_TOPIC, context.topic());
        put(headers, HEADER_SOURCE_PARTITION, String.valueOf(context.partition()));
        put(headers, HEADER_SOURCE_OFFSET, String.valueOf(context.offset()));
        put(headers, HEADER_EXCEPTION, exception.getClass().getName());
        put(headers, HEADER_MESSAGE, truncate(String.valueOf(rootMessage(exception))));
        put(headers, HEADER_STAGE, stage);
        put(headers, HEADER_PROCESSOR, context.processorNodeId());
        return new ProducerRecord<>(dlqTopic, null, null, key, value, headers);
    }

    private static void put(Headers headers, String key, String value) {
        if (value != null) {
            headers.add(key, value.getBytes(StandardCharsets.UTF_8));
        }
    }

    private static String rootMessage(Throwable t) {
        StringBuilder sb = new StringBuilder(String.valueOf(t.getMessage()));
        Throwable cause = t.getCause();
        int depth = 0;
        while (cause != null && cause != t && depth++ < 3) {
            sb.append(" <- ").append(cause.getClass().getSimpleName()).append(": ").append(cause.getMessage());
            cause = cause.getCause();
        }
        return sb.toString();
    }

    private static String truncate(String s) {
        return s.length() <= MAX_MESSAGE_CHARS ? s : s.substring(0, MAX_MESSAGE_CHARS);
    }

    static String dlqTopic(java.util.Map<String, ?> configs) {
        Object topic = configs.get(org.apache.kafka.streams.StreamsConfig.ERRORS_DEAD_LETTER_QUEUE_TOPIC_NAME_CONFIG);
        return topic == null || topic.toString().isBlank() ? null : topic.toString();
    }
}
