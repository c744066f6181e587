package io.guardstream.gateway;

import io.guardstream.gateway.auth.ApiKeyAuthenticator;
import io.guardstream.gateway.config.ConfigLoader;
import io.guardstream.gateway.config.GatewayConfig;
import io.guardstream.gateway.demo.DemoUpstream;
import io.guardstream.gateway.enforce.Guards;
import io.guardstream.gateway.enforce.Moderation;
import io.guardstream.gateway.guard.DirectGuardClient;
import io.guardstream.gateway.guard.KafkaGuardClient;
import io.guardstream.gateway.policy.Modes.Transport;
import io.guardstream.gateway.policy.PolicySet;
import io.guardstream.gateway.policy.PolicyStore;
import io.guardstream.gateway.exchange.ExchangeAssembler;
import io.guardstream.gateway.limits.ChatRequestValidator;
import io.guardstream.gateway.limits.TokenBucketRateLimiter;
import io.guardstream.gateway.metrics.GatewayMetrics;
import io.guardstream.gateway.proxy.GatewayVerticle;
import io.guardstream.gateway.proxy.ProxyHandler;
import io.guardstream.gateway.proxy.RequestStage;
import io.guardstream.gateway.proxy.ResponseStage;
import io.guardstream.gateway.publish.DiscardingExchangePublisher;
import io.guardstream.gateway.publish.ExchangePublisher;
import io.guardstream.gateway.publish.KafkaExchangePublisher;
import io.guardstream.gateway.publish.LoggingExchangePublisher;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.micrometer.MicrometerMetricsFactory;
import io.vertx.micrometer.MetricsDomain;
import io.vertx.micrometer.MicrometerMetricsOptions;
import java.io.IOException;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The gateway as a component: configure, {@link #start()}, {@link #stop()}. Used by
 * {@link GatewayMain} and by the standalone launcher, which passes its own {@link Vertx}.
 *
 * <pre>{@code
 * Gateway gateway = Gateway.create(vertx, config).publisher(myPublisher);
 * gateway.start().onSuccess(g -> log.info("gateway on {}", g.port()));
 * }</pre>
 */
public final class Gateway {

  private static final Logger LOG = LoggerFactory.getLogger(Gateway.class);

  private final GatewayConfig config;
  private final boolean ownsVertx;
  private final Vertx vertx;
  private final PrometheusMeterRegistry registry;
  private final List<RequestStage> requestStages = new ArrayList<>();
  private final List<ResponseStage> responseStages = new ArrayList<>();
  private Map<String, String> env = System.getenv();
  private ExchangePublisher publisher;
  private Function<GatewayMetrics, ExchangePublisher> publisherFactory;
  private DemoUpstream demo;
  private PolicyStore policies;
  private Guards guards;
  private String deploymentId;
  private int port = -1;
  /** The event loops' transport, known when the gateway made its Vert.x. */
  private String transportName = "the caller's Vert.x";

  private Gateway(Vertx vertx, boolean ownsVertx, PrometheusMeterRegistry registry, GatewayConfig config) {
    this.vertx = vertx;
    this.ownsVertx = ownsVertx;
    this.registry = registry;
    this.config = config;
  }

  /**
   * A gateway with its own Vert.x instance on the transport {@code server.transport} names, whose HTTP metrics land in
   * the gateway's registry.
   */
  public static Gateway create(GatewayConfig config) {
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    var transport = GatewayTransport.resolve(config.server.transport);
    Vertx vertx = Vertx.builder()
        .with(new VertxOptions()
            .setMetricsOptions(new MicrometerMetricsOptions().setEnabled(true)
            // Vert.x's per-request HTTP and per-socket meters look meters up by tags on every request;
            // GatewayMetrics counts requests, statuses, upstream latency and bytes with meters made once
            .addDisabledMetricsCategory(MetricsDomain.HTTP_SERVER)
            .addDisabledMetricsCategory(MetricsDomain.HTTP_CLIENT)
            .addDisabledMetricsCategory(MetricsDomain.NET_SERVER)
            .addDisabledMetricsCategory(MetricsDomain.NET_CLIENT)
            .addDisabledMetricsCategory(MetricsDomain.DATAGRAM_SOCKET)
            .addDisabledMetricsCategory(MetricsDomain.EVENT_BUS)
            .addDisabledMetricsCategory(MetricsDomain.VERTICLES)))
        .withMetrics(new MicrometerMetricsFactory(registry))
        .withTransport(transport)
        .build();
    Gateway gateway = new Gateway(vertx, true, registry, config);
    gateway.transportName = GatewayTransport.describe(transport);
    return gateway;
  }

  /** A gateway on a caller's Vert.x instance (not closed by {@link #stop()}). */
  public static Gateway create(Vertx vertx, GatewayConfig config) {
    return new Gateway(vertx, false, new PrometheusMeterRegistry(PrometheusConfig.DEFAULT), config);
  }

  /** Overrides the publisher chosen from {@code publisher.type}. */
  public Gateway publisher(ExchangePublisher publisher) {
    this.publisher = Objects.requireNonNull(publisher);
    return this;
  }

  /** Builds the publisher once metrics exist (so it can register its backlog gauges). */
  public Gateway publisher(Function<GatewayMetrics, ExchangePublisher> factory) {
    this.publisherFactory = Objects.requireNonNull(factory);
    return this;
  }

  /**
   * Turns on in-flight moderation with these policies and guard transports, instead of building them
   * from {@code moderation} in the config. Its stages run before any other stage.
   */
  public Gateway moderation(PolicyStore policies, Guards guards) {
    this.policies = Objects.requireNonNull(policies);
    this.guards = Objects.requireNonNull(guards);
    return this;
  }

  public Gateway requestStage(RequestStage stage) {
    requestStages.add(Objects.requireNonNull(stage));
    return this;
  }

  public Gateway responseStage(ResponseStage stage) {
    responseStages.add(Objects.requireNonNull(stage));
    return this;
  }

  /** Environment used for upstream API keys ({@code apiKeyEnv}); the process environment by default. */
  public Gateway environment(Map<String, String> env) {
    this.env = Map.copyOf(env);
    return this;
  }

  public Future<Gateway> start() {
    GatewayMetrics metrics = new GatewayMetrics(registry);
    new JvmMemoryMetrics().bindTo(registry);
    new JvmThreadMetrics().bindTo(registry);
    if (publisher == null) {
      try {
        publisher = publisherFactory != null ? publisherFactory.apply(metrics) : defaultPublisher(metrics);
      } catch (RuntimeException e) {
        return Future.failedFuture(e);
      }
    }
    return moderationFromConfig().compose(v -> startServing(metrics));
  }

  private Future<Void> moderationFromConfig() {
    if (policies != null || !config.moderation.enabled) {
      return Future.succeededFuture();
    }
    GatewayConfig.Moderation m = config.moderation;
    Future<PolicyStore> store = m.policiesFile == null || m.policiesFile.isBlank()
        ? Future.succeededFuture(PolicyStore.of(vertx, PolicySet.defaults()))
        : PolicyStore.watch(vertx, java.nio.file.Path.of(m.policiesFile), m.policyCheckIntervalMs);
    Guards configured = new Guards();
    if (m.direct.url != null && !m.direct.url.isBlank()) {
      configured.with(Transport.DIRECT, new DirectGuardClient(vertx, m.direct));
    }
    Future<Void> kafka = !m.kafka.enabled ? Future.succeededFuture()
        : KafkaGuardClient.start(vertx, new KafkaGuardClient.Settings(m.kafka.bootstrapServers, m.kafka.schemaRegistryUrl,
                m.kafka.checksTopic, m.kafka.repliesTopic, m.kafka.instanceOrdinal))
            .map(client -> {
              configured.with(Transport.KAFKA, client);
              return null;
            });
    return Future.all(store, kafka).map(all -> {
      policies = store.result();
      guards = configured;
      return null;
    });
  }

  private Future<Gateway> startServing(GatewayMetrics metrics) {
    ProxyHandler.Shared shared;
    try {
      ExchangeAssembler assembler = new ExchangeAssembler(config.exchanges.inlineImageMaxBytes);
      List<RequestStage> requestChain = new ArrayList<>(requestStages);
      List<ResponseStage> responseChain = new ArrayList<>(responseStages);
      if (policies != null) {
        Moderation moderation = new Moderation(vertx, policies, guards, assembler, registry);
        requestChain.add(0, moderation.requestStage());
        responseChain.add(0, moderation.responseStage());
        LOG.info("In-flight moderation on: policies {}, guard transports {}", policies.current().all().keySet(),
            java.util.Arrays.stream(Transport.values()).filter(guards::has).toList());
      }
      shared = new ProxyHandler.Shared(
          new ApiKeyAuthenticator(config.apiKeys),
          new TokenBucketRateLimiter(config.limits.rateLimit),
          new ChatRequestValidator(config.limits),
          assembler,
          publisher, metrics, registry, List.copyOf(requestChain), List.copyOf(responseChain));
    } catch (RuntimeException e) {
      return Future.failedFuture(e);
    }
    if (shared.authenticator().open()) {
      LOG.warn("No gateway API keys configured: every caller is accepted as tenant 'default'");
    }
    return startDemoIfNeeded().compose(v -> {
      int instances = config.server.instances > 0 ? config.server.instances : Runtime.getRuntime().availableProcessors();
      int listenPort = config.server.port;
      if (listenPort == 0 && instances > 1) {
        listenPort = freePort();
      }
      int bound = listenPort;
      List<GatewayVerticle> deployed = new ArrayList<>();
      return vertx.deployVerticle(() -> {
        GatewayVerticle verticle = new GatewayVerticle(config, bound, shared, env);
        synchronized (deployed) {
          deployed.add(verticle);
        }
        return verticle;
      }, new DeploymentOptions().setInstances(instances)).map(id -> {
        deploymentId = id;
        port = deployed.get(0).actualPort();
        LOG.info("GuardStream gateway listening on {}:{} ({} event loops, transport {}, upstreams: {})",
            config.server.host, port, instances, transportName, describeUpstreams());
        return this;
      });
    });
  }

  private Future<Void> startDemoIfNeeded() {
    boolean noUpstream = config.upstreams.isEmpty() || config.upstreams.stream().allMatch(u -> u.baseUrl == null);
    boolean wanted = "on".equalsIgnoreCase(config.demoUpstream)
        || ("auto".equalsIgnoreCase(config.demoUpstream) && noUpstream);
    if (!wanted) {
      return Future.succeededFuture();
    }
    demo = new DemoUpstream(vertx);
    return demo.start().map(url -> {
      config.upstreams.removeIf(u -> u.baseUrl == null);
      GatewayConfig.UpstreamRoute route = new GatewayConfig.UpstreamRoute();
      route.name = "demo";
      route.baseUrl = url;
      route.models = new ArrayList<>(List.of("*"));
      config.upstreams.add(route);
      LOG.warn("No upstream configured: serving the built-in demo upstream (answers are labelled, not a model)");
      return null;
    });
  }

  private String describeUpstreams() {
    List<String> out = new ArrayList<>();
    for (GatewayConfig.UpstreamRoute u : config.upstreams) {
      out.add(u.name + "=" + u.baseUrl);
    }
    return String.join(", ", out);
  }

  /** The configured instance id, else the host name. */
  public String instanceId() {
    if (config.server.instanceId != null && !config.server.instanceId.isBlank()) {
      return config.server.instanceId;
    }
    try {
      return java.net.InetAddress.getLocalHost().getHostName();
    } catch (IOException e) {
      return "gateway";
    }
  }

  private static int freePort() {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  private ExchangePublisher defaultPublisher(GatewayMetrics metrics) {
    return switch (config.publisher.type.toLowerCase()) {
      case "none" -> new DiscardingExchangePublisher();
      case "log" -> new LoggingExchangePublisher();
      case "kafka" -> new KafkaExchangePublisher(config.publisher, instanceId(), metrics, Map.of());
      default -> throw new IllegalArgumentException("publisher.type '" + config.publisher.type
          + "' needs a publisher passed to Gateway.publisher(...)");
    };
  }

  /** Stops serving, closes the publisher (flushing what it can) and, when it owns it, Vert.x. */
  public Future<Void> stop() {
    CompletableFuture<Void> done = new CompletableFuture<>();
    Future<Void> undeployed = deploymentId == null ? Future.succeededFuture() : vertx.undeploy(deploymentId);
    undeployed
        .transform(ar -> demo == null ? Future.succeededFuture() : demo.stop())
        .transform(ar -> publisher == null ? Future.succeededFuture() : publisher.close())
        .transform(ar -> guards == null ? Future.succeededFuture() : guards.close())
        .transform(ar -> {
          if (policies != null) {
            policies.close();
          }
          return Future.succeededFuture();
        })
        .onComplete(ar -> {
          if (!ownsVertx) {
            done.complete(null);
            return;
          }
          // closing Vert.x from one of its own event loops would complete on a loop that is gone
          Thread closer = new Thread(() -> vertx.close().onComplete(x -> done.complete(null)), "guardstream-vertx-close");
          closer.setDaemon(true);
          closer.start();
        });
    return Future.fromCompletionStage(done);
  }

  /** The port actually bound (useful with port 0). */
  public int port() {
    return port;
  }

  public Vertx vertx() {
    return vertx;
  }

  public PrometheusMeterRegistry meterRegistry() {
    return registry;
  }

  public GatewayConfig config() {
    return config;
  }

  /** Loads config the way {@link GatewayMain} does, for embedders. */
  public static GatewayConfig loadConfig(java.nio.file.Path file) throws IOException {
    return ConfigLoader.load(file, System.getenv());
  }
}
