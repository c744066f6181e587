package io.guardstream.streams.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

import io.guardstream.avro.GuardCheck;
import io.guardstream.avro.GuardVerdict;
import io.guardstream.avro.registry.EmbeddedSchemaRegistry;
import io.guardstream.avro.registry.RegistryClientConfig;
import io.guardstream.avro.serde.AvroDeserializer;
import io.guardstream.avro.serde.AvroSerializer;
import io.guardstream.kafka.EmbeddedKafkaBroker;
import io.guardstream.kafka.Topics;
import io.guardstream.streams.StreamProcessor;
import io.guardstream.streams.checks.ReplyPartitions;
import io.guardstream.streams.config.StreamProcessorConfig;
import io.guardstream.streams.config.TopicNames;
import io.guardstream.guardapi.GuardItem;
import io.guardstream.guardapi.GuardItems;
import io.guardstream.streams.guard.HttpGuardClient;
import io.guardstream.streams.testing.FakeGuardServer;
import io.guardstream.streams.testing.Samples;
import io.vertx.core.Vertx;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Latency the checks app adds to a guard call, on the embedded broker, in one run:
 * <ol>
 *   <li>the guard call alone: {@link HttpGuardClient} → in-process guard HTTP server, one item per call;</li>
 *   <li>check produced → verdict consumed from the reply partition, one check in flight (closed loop);</li>
 *   <li>the same with {@code --concurrency} checks in flight, where micro-batching matters.</li>
 * </ol>
 * Usage: {@code StreamsLatencyBench [--requests N] [--warmup N] [--concurrency N] [--guard-delay-ms N] [--batch-wait-ms N] [--threads N]
 * [--fsync-every-message true|false]} (the embedded broker fsyncs every message by default).
 */
public final class StreamsLatencyBench {

    private StreamsLatencyBench() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> opts = options(args);
        int requests = Integer.parseInt(opts.getOrDefault("requests", "1000"));
        int warmup = Integer.parseInt(opts.getOrDefault("warmup", "300"));
        int concurrency = Integer.parseInt(opts.getOrDefault("concurrency", "16"));
        long guardDelay = Long.parseLong(opts.getOrDefault("guard-delay-ms", "0"));
        String batchWait = opts.getOrDefault("batch-wait-ms", "2");
        String threads = opts.getOrDefault("threads", String.valueOf(StreamProcessorConfig.defaults().checks().threads()));
        boolean fsync = Boolean.parseBoolean(opts.getOrDefault("fsync-every-message", "true"));

        Path dir = Files.createTempDirectory("guardstream-bench-");
        Vertx vertx = Vertx.vertx();
        EmbeddedKafkaBroker.Builder brokerBuilder = EmbeddedKafkaBroker.builder().logDir(dir.resolve("kafka"));
        if (!fsync) {
            brokerBuilder.brokerProperty("log.flush.interval.messages", String.valueOf(Long.MAX_VALUE));
        }
        try (EmbeddedKafkaBroker broker = brokerBuilder.build().start()) {
            EmbeddedSchemaRegistry registry = EmbeddedSchemaRegistry.start(vertx, broker.bootstrapServers(), Topics.SCHEMAS, "127.0.0.1", 0)
                    .toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
            FakeGuardServer guard = FakeGuardServer.start(vertx).delayMs(guardDelay);

            Map<String, String> settings = new HashMap<>();
            settings.put("kafka.bootstrap", broker.bootstrapServers());
            settings.put("kafka.registryUrl", registry.url());
            settings.put("kafka.stateDir", dir.resolve("state").toString());
            settings.put("kafka.applicationIdPrefix", "bench");
            settings.put("guard.modelUrl", guard.url());
            settings.put("audit.enabled", "false");
            settings.put("admin.enabled", "false");
            settings.put("checks.batchMaxWaitMs", batchWait);
            settings.put("checks.threads", threads);
            StreamProcessorConfig config = StreamProcessorConfig.of(settings);
            TopicNames topics = new TopicNames("");

            System.out.printf("guardstream streams-latency bench: %d requests (+%d warm-up), concurrency %d, guard delay %d ms, batch max %d / wait %d ms, %d stream thread(s), broker fsync every message: %s%n",
                    requests, warmup, concurrency, guardDelay, config.checks().batchMaxRecords(), config.checks().batchMaxWait().toMillis(),
                    config.checks().threads(), fsync);

            HttpGuardClient client = new HttpGuardClient(config.guard());
            double[] alone = guardAlone(client, requests, warmup);

            StreamProcessor processor = StreamProcessor.create(config);
            processor.start().toCompletableFuture().get(120, TimeUnit.SECONDS);
            double[] serial;
            double[] concurrent;
            try (Roundtrip roundtrip = new Roundtrip(broker.bootstrapServers(), registry.url(), topics)) {
                serial = roundtrip.run(requests, warmup, 1);
                int before = guard.batchSizes().size();
                concurrent = roundtrip.run(requests, warmup, concurrency);
                List<Integer> batches = guard.batchSizes().subList(before, guard.batchSizes().size());
                System.out.printf("mean guard batch size under concurrency %d: %.2f over %d calls%n", concurrency,
                        batches.stream().mapToInt(Integer::intValue).average().orElse(0), batches.size());
            } finally {
                processor.stop().toCompletableFuture().get(60, TimeUnit.SECONDS);
            }

            System.out.println();
            System.out.printf("%-46s %9s %9s %9s%n", "latency (ms)", "p50", "p99", "mean");
            row("guard call alone (HTTP batch of 1)", alone);
            row("check -> reply via checks app, 1 in flight", serial);
            row("check -> reply via checks app, " + concurrency + " in flight", concurrent);
            System.out.printf("%-46s %9.2f %9.2f %9.2f%n", "added by Kafka + checks app (1 in flight)",
                    pct(serial, 50) - pct(alone, 50), pct(serial, 99) - pct(alone, 99), mean(serial) - mean(alone));

            guard.close();
            registry.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        } finally {
            vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        }
        System.exit(0);
    }

    private static double[] guardAlone(HttpGuardClient client, int requests, int warmup) {
        double[] out = new double[requests];
        for (int i = 0; i < warmup + requests; i++) {
            GuardItem item = GuardItems.item("g-" + i, Samples.userSays("is this prompt " + i + " safe?"), null);
            long started = System.nanoTime();
            client.judge(List.of(item));
            if (i >= warmup) {
                out[i - warmup] = (System.nanoTime() - started) / 1e6;
            }
        }
        return out;
    }

    /** A gateway-like producer of checks and consumer of its reply partition. */
    private static final class Roundtrip implements AutoCloseable {
        private static final int REPLY_PARTITION = 0;
        private final KafkaProducer<String, GuardCheck> producer;
        private final KafkaConsumer<String, GuardVerdict> consumer;
        private final TopicNames topics;
        private final Map<String, Long> sentAt = new ConcurrentHashMap<>();
        private final Map<String, CountDownLatch> waiting = new ConcurrentHashMap<>();
        private final Map<String, Double> latency = new ConcurrentHashMap<>();
        private final Thread poller;
        private volatile boolean running = true;
        private volatile Semaphore slots = new Semaphore(1);

        Roundtrip(String bootstrap, String registryUrl, TopicNames topics) {
            this.topics = topics;
            Map<String, Object> p = new HashMap<>();
            p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
            p.put(ProducerConfig.LINGER_MS_CONFIG, 0);
            p.put(ProducerConfig.ACKS_CONFIG, "1");
            p.put(RegistryClientConfig.URL, registryUrl);
            AvroSerializer<GuardCheck> values = new AvroSerializer<>();
            values.configure(p, false);
            producer = new KafkaProducer<>(p, new StringSerializer(), values);
            Map<String, Object> c = new HashMap<>();
            c.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
            c.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 100);
            c.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
            c.put(RegistryClientConfig.URL, registryUrl);
            AvroDeserializer<GuardVerdict> verdicts = new AvroDeserializer<>();
            verdicts.configure(c, false);
            consumer = new KafkaConsumer<>(c, new StringDeserializer(), verdicts);
            TopicPartition tp = new TopicPartition(topics.replies(), REPLY_PARTITION);
            consumer.assign(List.of(tp));
            consumer.seekToEnd(List.of(tp));
            consumer.position(tp);
            poller = new Thread(this::poll, "bench-reply-consumer");
            poller.start();
        }

        private void poll() {
            while (running) {
                for (ConsumerRecord<String, GuardVerdict> r : consumer.poll(Duration.ofMillis(100))) {
                    long now = System.nanoTime();
                    String checkId = r.value().getCheckId();
                    Long sent = sentAt.remove(checkId);
                    if (sent != null) {
                        latency.put(checkId, (now - sent) / 1e6);
                        CountDownLatch latch = waiting.remove(checkId);
                        if (latch != null) {
                            latch.countDown();
                            slots.release();
                        }
                    }
                }
            }
            consumer.close();
        }

        double[] run(int requests, int warmup, int inFlight) throws Exception {
            String run = UUID.randomUUID().toString().substring(0, 6);
            slots = new Semaphore(inFlight);
            List<String> measured = new ArrayList<>();
            List<CountDownLatch> latches = new ArrayList<>();
            for (int i = 0; i < warmup + requests; i++) {
                if (!slots.tryAcquire(30, TimeUnit.SECONDS)) {
                    throw new IllegalStateException("replies stopped arriving");
                }
                String checkId = "b-" + run + "-" + i;
                CountDownLatch latch = new CountDownLatch(1);
                waiting.put(checkId, latch);
                latches.add(latch);
                if (i >= warmup) {
                    measured.add(checkId);
                }
                GuardCheck check = Samples.requestCheck(checkId, "please judge request " + i, Instant.now());
                ProducerRecord<String, GuardCheck> record = new ProducerRecord<>(topics.checks(), checkId, check);
                record.headers().add(Topics.REPLY_PARTITION_HEADER, ReplyPartitions.headerValue(REPLY_PARTITION));
                sentAt.put(checkId, System.nanoTime());
                producer.send(record);
            }
            for (CountDownLatch latch : latches) {
                latch.await(30, TimeUnit.SECONDS);
            }
            return measured.stream().map(latency::get).filter(v -> v != null).mapToDouble(Double::doubleValue).toArray();
        }

        @Override
        public void close() throws InterruptedException {
            running = false;
            poller.join(5_000);
            producer.close();
        }
    }

    private static Map<String, String> options(String[] args) {
        Map<String, String> out = new HashMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            out.put(args[i].replaceFirst("^--", ""), args[i + 1]);
        }
        return out;
    }

    private static void row(String name, double[] values) {
        System.out.printf("%-46s %9.2f %9.2f %9.2f%n", name, pct(values, 50), pct(values, 99), mean(values));
    }

    static double pct(double[] values, double p) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        if (sorted.length == 0) {
            return Double.NaN;
        }
        int index = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, index))];
    }

    static double mean(double[] values) {
        return Arrays.stream(values).average().orElse(Double.NaN);
    }
}
