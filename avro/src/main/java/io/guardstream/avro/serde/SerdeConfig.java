package io.guardstream.avro.serde;

import java.util.Map;

import io.guardstream.avro.registry.RegistryClientConfig;

/**
 * Settings of {@link AvroSerializer} and {@link AvroDeserializer}, read from the Kafka client config map
 * with Confluent's key names. Subjects follow the topic-name strategy: {@code <topic>-value} or {@code <topic>-key}.
 */
public record SerdeConfig(RegistryClientConfig registry, boolean autoRegisterSchemas, boolean specificAvroReader) {

    public static final String AUTO_REGISTER_SCHEMAS = "auto.register.schemas";
    public static final String SPECIFIC_AVRO_READER = "specific.avro.reader";

    public static SerdeConfig fromMap(Map<String, ?> configs) {
        return new SerdeConfig(RegistryClientConfig.fromMap(configs),
                bool(configs.get(AUTO_REGISTER_SCHEMAS), true),
                bool(configs.get(SPECIFIC_AVRO_READER), true));
    }

    static String subject(String topic, boolean isKey) {
        return topic + (isKey ? "-key" : "-value");
    }

    private static boolean bool(Object value, boolean fallback) {
        return value == null ? fallback : Boolean.parseBoolean(value.toString().trim());
    }
}
