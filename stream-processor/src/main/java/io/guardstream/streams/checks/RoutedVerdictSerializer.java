package io.guardstream.streams.checks;

import java.util.Map;

import io.guardstream.avro.GuardVerdict;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.serialization.Serializer;

/** Writes the verdict of a {@link RoutedVerdict}; the route itself only steers the partitioner. */
final class RoutedVerdictSerializer implements Serializer<RoutedVerdict> {

    private final Serializer<GuardVerdict> inner;

    RoutedVerdictSerializer(Serializer<GuardVerdict> inner) {
        this.inner = inner;
    }

    @Override
    public void configure(Map<String, ?> configs, boolean isKey) {
        inner.configure(configs, isKey);
    }

    @Override
    public byte[] serialize(String topic, RoutedVerdict data) {
        return data == null ? null : inner.serialize(topic, data.verdict());
    }

    @Override
    public byte[] serialize(String topic, Headers headers, RoutedVerdict data) {
        return data == null ? null : inner.serialize(topic, headers, data.verdict());
    }
}
