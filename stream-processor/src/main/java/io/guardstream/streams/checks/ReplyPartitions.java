package io.guardstream.streams.checks;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

import io.guardstream.avro.GuardCheck;
import io.guardstream.kafka.Topics;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;

/**
 * Reads the reply partition of a check: the {@value Topics#REPLY_PARTITION_HEADER} header as a decimal string
 * (or a 4-byte big-endian int), else the check's {@code replyPartition} field.
 */
public final class ReplyPartitions {

    private ReplyPartitions() {
    }

    public static Integer of(Headers headers, GuardCheck check) {
        Integer fromHeader = headers == null ? null : parse(headers.lastHeader(Topics.REPLY_PARTITION_HEADER));
        return fromHeader != null ? fromHeader : check.getReplyPartition();
    }

    /** Header value for a partition, as gateways should write it. */
    public static byte[] headerValue(int partition) {
        return Integer.toString(partition).getBytes(StandardCharsets.UTF_8);
    }

    static Integer parse(Header header) {
        if (header == null || header.value() == null || header.value().length == 0) {
            return null;
        }
        byte[] value = header.value();
        String text = new String(value, StandardCharsets.UTF_8).trim();
        if (!text.isEmpty() && text.chars().allMatch(Character::isDigit) && text.length() < 10) {
            return Integer.parseInt(text);
        }
        if (value.length == 4) {
            return ByteBuffer.wrap(value).getInt();
        }
        return null;
    }
}
