package io.guardstream.streams;

import java.util.Properties;

import io.guardstream.avro.registry.RegistryClientConfig;
import io.guardstream.streams.config.StreamProcessorConfig;
import io.guardstream.streams.config.TopicNames;
import io.guardstream.streams.dlq.DlqDeserializationExceptionHandler;
import io.guardstream.streams.dlq.DlqProcessingExceptionHandler;
import io.guardstream.streams.dlq.DlqProductionExceptionHandler;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.streams.StreamsConfig;

/** Kafka Streams settings of the two apps. */
public final class StreamsProperties {

    public static final String CHECKS_APP = "checks";
    public static final String AUDIT_APP = "audit";

    private StreamsProperties() {
    }

    /**
     * At-least-once, short commit interval, no producer linger and a poll timeout no longer than the batch wait,
     * so a check spends as little time as possible in Kafka Streams around the guard call.
     */
    public static Properties checks(StreamProcessorConfig config) {
        Properties props = common(config, CHECKS_APP);
        StreamProcessorConfig.Checks checks = config.checks();
        props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.AT_LEAST_ONCE);
        props.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, checks.commitIntervalMs());
        props.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, checks.threads());
        props.put(StreamsConfig.POLL_MS_CONFIG, Math.max(1L, checks.batchMaxWaitMs()));
        props.put(StreamsConfig.STATESTORE_CACHE_MAX_BYTES_CONFIG, 0L);
        props.put(StreamsConfig.producerPrefix(ProducerConfig.LINGER_MS_CONFIG), 0);
        props.put(StreamsConfig.consumerPrefix(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG), 100);
        long maxPoll = Math.max(300_000L, config.guard().worstCase().toMillis() * 4);
        props.put(StreamsConfig.consumerPrefix(ConsumerConfig.MAX_POLL_INTERVAL_MS_CONFIG), (int) Math.min(Integer.MAX_VALUE, maxPoll));
        return props;
    }

    /** Exactly-once v2; the transaction timeout covers a guard call with all its retries. */
    public static Properties audit(StreamProcessorConfig config) {
        Properties props = common(config, AUDIT_APP);
        props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        props.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, config.audit().commitIntervalMs());
        props.put(StreamsConfig.producerPrefix(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG),
                (int) Math.max(60_000L, config.guard().worstCase().toMillis() * 4));
        props.put(StreamsConfig.APPLICATION_SERVER_CONFIG, config.admin().advertisedHost() + ":" + config.admin().port());
        return props;
    }

    public static String applicationId(StreamProcessorConfig config, String app) {
        return config.kafka().applicationIdPrefix() + "-" + app;
    }

    private static Properties common(StreamProcessorConfig config, String app) {
        TopicNames topics = config.topicNames();
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, applicationId(config, app));
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, config.kafka().bootstrap());
        props.put(StreamsConfig.STATE_DIR_CONFIG, java.nio.file.Path.of(config.kafka().stateDir()).resolve(app).toString());
        props.put(StreamsConfig.REPLICATION_FACTOR_CONFIG, (int) config.topics().replicationFactor());
        props.put(StreamsConfig.DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG, DlqDeserializationExceptionHandler.class);
        props.put(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_CLASS_CONFIG, DlqProcessingExceptionHandler.class);
        props.put(StreamsConfig.PRODUCTION_EXCEPTION_HANDLER_CLASS_CONFIG, DlqProductionExceptionHandler.class);
        props.put(StreamsConfig.ERRORS_DEAD_LETTER_QUEUE_TOPIC_NAME_CONFIG, topics.dlq());
        props.put(RegistryClientConfig.URL, config.kafka().registryUrl());
        props.put(StreamsConfig.consumerPrefix(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG), "earliest");
        return props;
    }
}
