package io.guardstream.cli;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

import io.guardstream.avro.registry.RegistryClientConfig;
import io.guardstream.avro.registry.RestSchemaRegistryClient;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "tail", mixinStandardHelpOptions = true,
        description = {"Prints each record of a topic as one JSON line, Avro values decoded through the schema registry.",
                "Reads without a consumer group, so it never moves anyone's offsets."})
final class TailCommand implements Callable<Integer> {

    @Parameters(index = "0", description = "Topic, e.g. guard.exchanges.v1")
    String topic;

    @Option(names = "--from-beginning", description = "Start at the oldest record instead of new ones.")
    boolean fromBeginning;

    @Option(names = "--max", description = "Stop after N records.")
    Long max;

    @Option(names = "--timeout", description = "Stop after this many seconds (default: run until Ctrl-C).")
    Long timeoutSeconds;

    @Option(names = "--bootstrap", defaultValue = "${env:GUARDSTREAM_KAFKA_BOOTSTRAP:-127.0.0.1:9092}",
            description = "Kafka bootstrap servers (default ${DEFAULT-VALUE}).")
    String bootstrap;

    @Option(names = "--registry", defaultValue = "${env:GUARDSTREAM_REGISTRY_URL:-http://127.0.0.1:8081}",
            description = "Schema registry URL (default ${DEFAULT-VALUE}).")
    String registryUrl;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        RecordPrinter printer = new RecordPrinter(new RestSchemaRegistryClient(RegistryClientConfig.of(registryUrl)));
        Map<String, Object> props = new HashMap<>();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        props.put(ConsumerConfig.CLIENT_ID_CONFIG, "guardstream-tail");
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            Duration metadataTimeout = Duration.ofSeconds(Math.min(30, timeoutSeconds == null ? 30 : Math.max(1, timeoutSeconds)));
            List<PartitionInfo> partitions;
            try {
                partitions = consumer.partitionsFor(topic, metadataTimeout);
            } catch (org.apache.kafka.common.errors.TimeoutException e) {
                spec.commandLine().getErr().println("Cannot reach Kafka at " + bootstrap + " within " + metadataTimeout.toSeconds() + " s");
                return 3;
            }
            if (partitions == null || partitions.isEmpty()) {
                spec.commandLine().getErr().println("Topic " + topic + " does not exist on " + bootstrap);
                return 2;
            }
            List<TopicPartition> assigned = partitions.stream().map(p -> new TopicPartition(topic, p.partition())).toList();
            consumer.assign(assigned);
            if (fromBeginning) {
                consumer.seekToBeginning(assigned);
            } else {
                consumer.seekToEnd(assigned);
            }
            Thread main = Thread.currentThread();
            Thread hook = new Thread(consumer::wakeup, "guardstream-tail-stop");
            Runtime.getRuntime().addShutdownHook(hook);
            long deadline = timeoutSeconds == null ? Long.MAX_VALUE : System.nanoTime() + Duration.ofSeconds(timeoutSeconds).toNanos();
            long printed = 0;
            try {
                while ((max == null || printed < max) && System.nanoTime() < deadline && !main.isInterrupted()) {
                    for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                        out.println(printer.toJsonLine(record));
                        out.flush();
                        if (max != null && ++printed >= max) {
                            break;
                        }
                    }
                }
            } catch (WakeupException stopping) {
                return 0;
            } finally {
                try {
                    Runtime.getRuntime().removeShutdownHook(hook);
                } catch (IllegalStateException alreadyShuttingDown) {
                    // the hook is running: the JVM is exiting anyway
                }
            }
        }
        return 0;
    }
}
