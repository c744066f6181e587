package io.guardstream.gateway.publish;

import io.guardstream.avro.Exchange;
import io.guardstream.avro.serde.AvroSerializer;
import io.guardstream.avro.serde.AvroTrust;
import io.guardstream.avro.serde.SerdeConfig;
import io.guardstream.avro.registry.RegistryClientConfig;
import io.guardstream.gateway.config.GatewayConfig;
import io.guardstream.gateway.exchange.ExchangeRecord;
import io.guardstream.gateway.metrics.GatewayMetrics;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes exchanges to Kafka ({@code guard.exchanges.v1}, keyed by exchange id, Avro through the
 * schema registry) from one dedicated thread, so the request path only enqueues.
 *
 * <p>Idempotent producer with {@code acks=all}. A record that cannot be delivered within
 * {@code deliveryTimeoutMs} goes to a bounded {@link DiskSpool}; while the spool holds anything,
 * new exchanges are appended behind it, and the spool is replayed in order (one probe record,
 * then batches) once Kafka answers again. Records of a partly failed batch that did get through
 * are remembered and not sent twice. When the spool is full the policy decides: {@code refuse}
 * makes {@link #accepting()} false (the gateway answers 503) and keeps the few in-flight
 * exchanges in memory; {@code drop} counts and drops them.
 */
public final class KafkaExchangePublisher implements ExchangePublisher {

  private static final Logger LOG = LoggerFactory.getLogger(KafkaExchangePublisher.class);
  private static final int INBOX_CAPACITY = 50_000;
  private static final int OVERFLOW_CAPACITY = 10_000;
  private static final int REPLAY_BATCH = 500;
  private static final long RETRY_BACKOFF_MS = 1_000;

  private final String topic;
  private final String instance;
  private final boolean refuseWhenFull;
  private final long deliveryTimeoutMs;
  private final Producer<String, Exchange> producer;
  private final DiskSpool spool;
  private final GatewayMetrics metrics;
  private final BlockingQueue<ExchangeRecord> inbox = new LinkedBlockingQueue<>(INBOX_CAPACITY);
  private final ConcurrentLinkedQueue<FailedSend> failedSends = new ConcurrentLinkedQueue<>();
  private final ArrayDeque<byte[]> overflow = new ArrayDeque<>();
  private final Set<String> deliveredAhead = new HashSet<>();
  private final AtomicLong spoolCount = new AtomicLong();
  private final AtomicLong spoolBytes = new AtomicLong();
  private final AtomicLong inFlight = new AtomicLong();
  private final Counter sent;
  private final Counter spooled;
  private final Counter dropped;
  private final Counter failures;
  private final Thread worker;
  private final Promise<Void> closed = Promise.promise();
  private volatile boolean running = true;
  private volatile boolean online = true;
  private volatile boolean full;
  private long nextReplayAt;
  private long sequence;

  private record FailedSend(long seq, Exchange exchange) {
  }

  /**
   * @param config   publisher settings ({@code bootstrapServers}, {@code schemaRegistryUrl}, topic, spool)
   * @param instance gateway instance id written on every exchange
   * @param extra    extra producer properties (override the defaults)
   */
  public KafkaExchangePublisher(GatewayConfig.Publisher config, String instance, GatewayMetrics metrics,
                                Map<String, Object> extra) {
    AvroTrust.ensureInstalled();
    this.topic = config.topic;
    this.instance = instance;
    this.refuseWhenFull = !"drop".equalsIgnoreCase(config.spoolFullPolicy);
    this.deliveryTimeoutMs = config.deliveryTimeoutMs;
    this.metrics = metrics;
    this.spool = new DiskSpool(Path.of(config.spoolDir), config.spoolMaxBytes);
    spoolCount.set(spool.size());
    spoolBytes.set(spool.pendingBytes());
    if (!spool.isEmpty()) {
      online = false;
      LOG.info("Exchange spool holds {} exchanges from an earlier run; replaying once Kafka answers", spool.size());
    }
    Map<String, Object> props = new HashMap<>();
    props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, config.bootstrapServers);
    props.put(ProducerConfig.ACKS_CONFIG, "all");
    props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    props.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 5);
    props.put(ProducerConfig.LINGER_MS_CONFIG, 5);
    props.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, (int) config.deliveryTimeoutMs);
    if (config.deliveryTimeoutMs < 100) {
      throw new IllegalArgumentException("publisher.deliveryTimeoutMs must be at least 100");
    }
    props.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) Math.min(30_000, config.deliveryTimeoutMs - 10));
    props.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, (int) Math.min(5_000, config.deliveryTimeoutMs));
    props.put(ProducerConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, 1_000);
    props.put(ProducerConfig.CLIENT_ID_CONFIG, "guardstream-gateway-" + instance);
    props.put(RegistryClientConfig.URL, config.schemaRegistryUrl);
    props.put(SerdeConfig.AUTO_REGISTER_SCHEMAS, true);
    props.putAll(extra);
    AvroSerializer<Exchange> valueSerializer = new AvroSerializer<>();
    valueSerializer.configure(props, false);
    this.producer = new KafkaProducer<>(props, new StringSerializer(), valueSerializer);

    var registry = metrics.registry();
    this.sent = Counter.builder("guardstream.publish.sent").description("Exchanges acknowledged by Kafka").register(registry);
    this.spooled = Counter.builder("guardstream.publish.spooled").description("Exchanges written to the on-disk spool").register(registry);
    this.dropped = Counter.builder("guardstream.publish.dropped").description("Exchanges lost because the spool was full (drop policy)").register(registry);
    this.failures = Counter.builder("guardstream.publish.failures").description("Failed Kafka sends (the exchange was spooled)").register(registry);
    Gauge.builder("guardstream.publish.backlog", this, p -> p.backlog())
        .description("Exchanges not yet acknowledged by Kafka: queued, in flight and spooled").register(registry);
    Gauge.builder("guardstream.publish.spool.bytes", spoolBytes, AtomicLong::get).baseUnit("bytes")
        .description("Bytes waiting in the on-disk spool").register(registry);

    this.worker = new Thread(this::run, "guardstream-exchange-publisher");
    this.worker.setDaemon(true);
    this.worker.start();
  }

  @Override
  public void publish(ExchangeRecord exchange) {
    if (!running || !inbox.offer(exchange)) {
      dropped.increment();
      LOG.error("Exchange {} dropped: publisher queue full or closed", exchange.exchangeId());
    }
  }

  @Override
  public boolean accepting() {
    return !(refuseWhenFull && (full || inbox.remainingCapacity() == 0));
  }

  @Override
  public boolean ready() {
    return running && accepting();
  }

  /** Exchanges not yet acknowledged: queued, in flight, failed and spooled. */
  public long backlog() {
    return inbox.size() + inFlight.get() + failedSends.size() + spoolCount.get() + overflow.size();
  }

  /** True while sends go straight to Kafka (nothing spooled, no failure since). */
  public boolean online() {
    return online;
  }

  @Override
  public Future<Void> close() {
    if (running) {
      running = false;
      worker.interrupt();
    }
    return closed.future();
  }

  private void run() {
    try {
      while (running || !inbox.isEmpty()) {
        try {
          step();
        } catch (RuntimeException e) {
          LOG.error("Exchange publisher step failed; retrying", e);
          nextReplayAt = System.currentTimeMillis() + RETRY_BACKOFF_MS;
        }
      }
      Thread.interrupted();
      producer.flush();
      spoolFailedSends();
    } catch (RuntimeException e) {
      LOG.error("Exchange publisher thread failed", e);
    } finally {
      try {
        producer.close(Duration.ofSeconds(5));
      } catch (RuntimeException e) {
        LOG.warn("Kafka producer close: {}", e.toString());
      }
      spoolFailedSends();
      spool.close();
      closed.tryComplete();
    }
  }

  private void step() {
    if (!online && inFlight.get() > 0) {
      // keep the spool in order: wait until every earlier send has failed or succeeded
      sleep(20);
      return;
    }
    ExchangeRecord next;
    try {
      next = inbox.poll(spoolCount.get() > 0 ? 50 : 200, TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      next = inbox.poll();
    }
    spoolFailedSends();
    int handled = 0;
    while (next != null) {
      handleNew(next);
      next = ++handled < 1_000 ? inbox.poll() : null;
    }
    if (running && (spoolCount.get() > 0 || !overflow.isEmpty()) && System.currentTimeMillis() >= nextReplayAt) {
      replay();
    }
  }

  private void handleNew(ExchangeRecord record) {
    Exchange exchange;
    try {
      exchange = ExchangeAvroMapper.toAvro(record, instance);
    } catch (RuntimeException e) {
      LOG.error("Exchange {} cannot be mapped to Avro; dropped", record.exchangeId(), e);
      dropped.increment();
      return;
    }
    if (online && spoolCount.get() == 0 && failedSends.isEmpty() && overflow.isEmpty()) {
      sendAsync(exchange, record.completedAtMs(), sequence++);
      return;
    }
    long waitUntil = System.currentTimeMillis() + deliveryTimeoutMs + 5_000;
    while (inFlight.get() > 0 && System.currentTimeMillis() < waitUntil) {
      sleep(10);
    }
    spoolFailedSends();
    toSpool(exchange);
  }

  private void sendAsync(Exchange exchange, long completedAtMs, long seq) {
    inFlight.incrementAndGet();
    try {
      producer.send(new ProducerRecord<>(topic, exchange.getExchangeId(), exchange), (meta, err) -> {
        inFlight.decrementAndGet();
        if (err == null) {
          sent.increment();
          metrics.publishLag(System.currentTimeMillis() - completedAtMs);
        } else {
          onSendFailure(new FailedSend(seq, exchange), err);
        }
      });
    } catch (RuntimeException e) {
      inFlight.decrementAndGet();
      onSendFailure(new FailedSend(seq, exchange), e);
    }
  }

  private void onSendFailure(FailedSend failed, Throwable err) {
    failures.increment();
    if (online) {
      LOG.warn("Kafka unavailable ({}); spooling exchanges to disk until it returns", err.toString());
    }
    online = false;
    nextReplayAt = System.currentTimeMillis() + RETRY_BACKOFF_MS;
    failedSends.add(failed);
  }

  private void spoolFailedSends() {
    if (failedSends.isEmpty()) {
      return;
    }
    List<FailedSend> failed = new ArrayList<>();
    FailedSend f;
    while ((f = failedSends.poll()) != null) {
      failed.add(f);
    }
    failed.sort((a, b) -> Long.compare(a.seq(), b.seq()));
    for (FailedSend each : failed) {
      toSpool(each.exchange());
    }
  }

  private static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void toSpool(Exchange exchange) {
    byte[] bytes = encode(exchange);
    if (overflow.isEmpty() && spool.append(bytes)) {
      spooled.increment();
      syncSpoolGauges();
      return;
    }
    if (refuseWhenFull && overflow.size() < OVERFLOW_CAPACITY) {
      if (!full) {
        LOG.error("Exchange spool full ({} bytes): refusing new requests until Kafka drains it", spool.maxBytes());
      }
      full = true;
      overflow.add(bytes);
      return;
    }
    dropped.increment();
    LOG.error("Exchange {} dropped: spool full", exchange.getExchangeId());
  }

  private void replay() {
    int batchSize = online ? REPLAY_BATCH : 1;
    while (running) {
      moveOverflowToSpool();
      List<byte[]> batch = spool.peek(batchSize);
      if (batch.isEmpty()) {
        break;
      }
      List<Exchange> exchanges = new ArrayList<>(batch.size());
      List<java.util.concurrent.Future<RecordMetadata>> futures = new ArrayList<>(batch.size());
      for (byte[] bytes : batch) {
        Exchange exchange = decode(bytes);
        exchanges.add(exchange);
        if (exchange == null || deliveredAhead.contains(exchange.getExchangeId())) {
          futures.add(null);
          continue;
        }
        try {
          futures.add(producer.send(new ProducerRecord<>(topic, exchange.getExchangeId(), exchange)));
        } catch (RuntimeException e) {
          futures.add(java.util.concurrent.CompletableFuture.failedFuture(e));
        }
      }
      int delivered = 0;
      boolean failedOne = false;
      for (int i = 0; i < futures.size(); i++) {
        boolean ok = futures.get(i) == null || await(futures.get(i));
        if (!ok) {
          failedOne = true;
        } else if (failedOne) {
          deliveredAhead.add(exchanges.get(i).getExchangeId());
        } else {
          delivered++;
          if (exchanges.get(i) != null) {
            deliveredAhead.remove(exchanges.get(i).getExchangeId());
            if (futures.get(i) != null) {
              sent.increment();
              metrics.publishLag(System.currentTimeMillis() - exchanges.get(i).getTimings().getCompletedAt().toEpochMilli());
            }
          }
        }
      }
      spool.advance(delivered);
      syncSpoolGauges();
      if (failedOne) {
        failures.increment();
        nextReplayAt = System.currentTimeMillis() + RETRY_BACKOFF_MS;
        return;
      }
      if (!online) {
        LOG.info("Kafka answers again; replaying {} spooled exchanges", spoolCount.get());
      }
      online = true;
      batchSize = REPLAY_BATCH;
      spoolFailedSends();
      if (!inbox.isEmpty()) {
        drainInboxToSpool();
      }
    }
    if (spool.isEmpty() && overflow.isEmpty() && failedSends.isEmpty()) {
      full = false;
      deliveredAhead.clear();
      LOG.info("Exchange spool drained");
    }
  }

  private void drainInboxToSpool() {
    ExchangeRecord r;
    int n = 0;
    while (n++ < 5_000 && (r = inbox.poll()) != null) {
      try {
        toSpool(ExchangeAvroMapper.toAvro(r, instance));
      } catch (RuntimeException e) {
        dropped.increment();
      }
    }
  }

  private void moveOverflowToSpool() {
    while (!overflow.isEmpty() && spool.append(overflow.peek())) {
      overflow.poll();
      spooled.increment();
    }
    if (overflow.isEmpty() && full && spool.pendingBytes() < spool.maxBytes() * 9 / 10) {
      full = false;
    }
    syncSpoolGauges();
  }

  private boolean await(java.util.concurrent.Future<RecordMetadata> future) {
    try {
      future.get(deliveryTimeoutMs + 5_000, TimeUnit.MILLISECONDS);
      return true;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    } catch (Exception e) {
      return false;
    }
  }

  private void syncSpoolGauges() {
    spoolCount.set(spool.size());
    spoolBytes.set(spool.pendingBytes());
  }

  private static byte[] encode(Exchange exchange) {
    try {
      ByteBuffer buf = Exchange.getEncoder().encode(exchange);
      byte[] out = new byte[buf.remaining()];
      buf.get(out);
      return out;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static Exchange decode(byte[] bytes) {
    try {
      return Exchange.getDecoder().decode(bytes);
    } catch (IOException | RuntimeException e) {
      LOG.error("Unreadable spooled exchange skipped ({} bytes)", bytes.length);
      return null;
    }
  }
}
