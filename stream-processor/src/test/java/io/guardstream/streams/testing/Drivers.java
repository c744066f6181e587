package io.guardstream.streams.testing;

import java.nio.file.Path;
import java.util.Properties;

import io.guardstream.avro.serde.AvroSerde;
import io.guardstream.streams.StreamsProperties;
import io.guardstream.streams.config.StreamProcessorConfig;
import org.apache.avro.generic.GenericContainer;

/** Settings and serdes for TopologyTestDriver tests. */
public final class Drivers {

    private Drivers() {
    }

    public static StreamProcessorConfig config(Path stateDir) {
        return StreamProcessorConfig.of(java.util.Map.of("kafka.bootstrap", "dummy:9092", "kafka.registryUrl", "mock://unused",
                "kafka.stateDir", stateDir.toString(), "kafka.applicationIdPrefix", "ttd"));
    }

    public static Properties checksProps(StreamProcessorConfig config) {
        return StreamsProperties.checks(config);
    }

    public static Properties auditProps(StreamProcessorConfig config) {
        return StreamsProperties.audit(config);
    }

    public static <T extends GenericContainer> AvroSerde<T> serde(InMemorySchemaRegistry registry) {
        return new AvroSerde<>(registry);
    }
}
