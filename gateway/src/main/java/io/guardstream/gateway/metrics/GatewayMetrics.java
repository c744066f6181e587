package io.guardstream.gateway.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.function.ToIntFunction;

/** The gateway's own meters, next to the Vert.x HTTP meters in the same registry. */
public final class GatewayMetrics {

  private static final int MAX_STATUS = 599;

  private final MeterRegistry registry;
  private final Counter bytesStreamed;
  private final Counter bytesToClient;
  private final Timer publishLag;
  private final ConcurrentHashMap<String, AtomicReferenceArray<Counter>> requestCounters = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<String, Timer> upstreamTimers = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<String, Timer> ttftTimers = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<String, List<ConnectionCounts>> upstreamConnections = new ConcurrentHashMap<>();

  public GatewayMetrics(MeterRegistry registry) {
    this.registry = registry;
    this.bytesStreamed = Counter.builder("guardstream.stream.bytes")
        .description("SSE bytes relayed from upstreams to clients").baseUnit("bytes").register(registry);
    this.bytesToClient = Counter.builder("guardstream.response.bytes")
        .description("Response body bytes relayed to clients, streamed or not").baseUnit("bytes").register(registry);
    this.publishLag = Timer.builder("guardstream.publish.lag")
        .description("Time from exchange completion to its acknowledgement by Kafka")
        .publishPercentileHistogram().register(registry);
  }

  public MeterRegistry registry() {
    return registry;
  }

  public void request(String route, int status) {
    if (status < 0 || status > MAX_STATUS) {
      requestCounter(route, status).increment();
      return;
    }
    AtomicReferenceArray<Counter> byStatus = requestCounters.get(route);
    if (byStatus == null) {
      byStatus = requestCounters.computeIfAbsent(route, r -> new AtomicReferenceArray<>(MAX_STATUS + 1));
    }
    Counter counter = byStatus.get(status);
    if (counter == null) {
      counter = requestCounter(route, status);
      byStatus.set(status, counter);
    }
    counter.increment();
  }

  private Counter requestCounter(String route, int status) {
    return Counter.builder("guardstream.requests").description("Requests answered, by route and HTTP status")
        .tags("route", route, "status", Integer.toString(status)).register(registry);
  }

  public void upstreamLatency(String upstream, long nanos) {
    upstreamTimers.computeIfAbsent(upstream, u -> upstreamTimer("guardstream.upstream.latency",
        "Time until the upstream's response headers", u)).record(nanos, TimeUnit.NANOSECONDS);
  }

  public void timeToFirstToken(String upstream, long nanos) {
    ttftTimers.computeIfAbsent(upstream, u -> upstreamTimer("guardstream.ttft",
        "Time from request receipt to the first streamed content token", u)).record(nanos, TimeUnit.NANOSECONDS);
  }

  private Timer upstreamTimer(String name, String description, String upstream) {
    return Timer.builder(name).description(description).tags("upstream", upstream).publishPercentileHistogram()
        .minimumExpectedValue(Duration.ofMillis(1)).maximumExpectedValue(Duration.ofSeconds(120)).register(registry);
  }

  public void streamedBytes(long n) {
    bytesStreamed.increment(n);
  }

  public void responseBytes(long n) {
    bytesToClient.increment(n);
  }

  public void publishLag(long millis) {
    publishLag.record(millis, TimeUnit.MILLISECONDS);
  }

  /**
   * Adds one event loop's connections to {@code upstream} to the gauges {@code guardstream_upstream_connections
   * {upstream,state=open|idle}} and {@code guardstream_upstream_waiting{upstream}}, which sum every registered loop.
   * Running the returned action removes them again.
   */
  public Runnable upstreamConnections(String upstream, ConnectionCounts counts) {
    List<ConnectionCounts> loops = upstreamConnections.computeIfAbsent(upstream, u -> {
      List<ConnectionCounts> all = new CopyOnWriteArrayList<>();
      connectionGauge("guardstream.upstream.connections", "Upstream connections, by state", u, "open", all,
          ConnectionCounts::open);
      connectionGauge("guardstream.upstream.connections", "Upstream connections, by state", u, "idle", all,
          ConnectionCounts::idle);
      connectionGauge("guardstream.upstream.waiting", "Requests waiting for a free upstream connection", u, null,
          all, ConnectionCounts::waiting);
      return all;
    });
    loops.add(counts);
    return () -> loops.remove(counts);
  }

  private void connectionGauge(String name, String description, String upstream, String state,
      List<ConnectionCounts> loops, ToIntFunction<ConnectionCounts> count) {
    Gauge.Builder<List<ConnectionCounts>> gauge = Gauge.builder(name, loops,
        all -> all.stream().mapToInt(count).sum()).description(description).tags("upstream", upstream);
    if (state != null) {
      gauge.tag("state", state);
    }
    gauge.strongReference(true).register(registry);
  }

  public DistributionSummary requestBytes() {
    return DistributionSummary.builder("guardstream.request.bytes").baseUnit("bytes").register(registry);
  }
}
