package io.guardstream.gateway.config;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.util.ArrayList;
import java.util.List;

/**
 * Typed gateway configuration. Every field has a default that runs: with nothing configured the
 * gateway listens on {@value #DEFAULT_PORT}, accepts any caller as tenant {@code default} and, with no
 * upstream, answers from the built-in demo upstream.
 */
@JsonIgnoreProperties(ignoreUnknown = false)
public class GatewayConfig {

  public static final int DEFAULT_PORT = 8080;
  public static final String DEFAULT_HOST = "0.0.0.0";

  public Server server = new Server();
  /** Upstream routes; the first one whose {@code models} matches the request's model wins. */
  public List<UpstreamRoute> upstreams = new ArrayList<>();
  /** Extra {@code /v1/*} paths forwarded unchanged to the default upstream, e.g. {@code /v1/embeddings}. */
  public List<String> passthrough = new ArrayList<>();
  /** Gateway API keys, stored only as SHA-256 hashes. No key configured: open access as tenant {@code default}. */
  public List<ApiKey> apiKeys = new ArrayList<>();
  public Limits limits = new Limits();
  public Exchanges exchanges = new Exchanges();
  public Publisher publisher = new Publisher();
  public Moderation moderation = new Moderation();
  /** {@code auto}: serve the demo upstream when no upstream is configured; {@code on}; {@code off}. */
  public String demoUpstream = "auto";

  @JsonIgnoreProperties(ignoreUnknown = false)
  public static class Server {
    public int port = DEFAULT_PORT;
    public String host = DEFAULT_HOST;
    /** Event-loop instances of the HTTP server; 0 means one per core. */
    public int instances = 0;
    /**
     * I/O transport of the event loops: {@code auto} (io_uring where the host allows it, else epoll, else NIO),
     * {@code io_uring}, {@code epoll} or {@code nio}. Only for a gateway that makes its own Vert.x.
     */
    public String transport = "auto";
    /** Id of this gateway instance, written on every exchange; defaults to the host name. */
    public String instanceId;
  }

  @JsonIgnoreProperties(ignoreUnknown = false)
  public static class UpstreamRoute {
    public static final long DEFAULT_CONNECT_TIMEOUT_MS = 5_000;
    public static final long DEFAULT_READ_TIMEOUT_MS = 120_000;
    public static final int DEFAULT_IDLE_TIMEOUT_S = 60;
    public static final int DEFAULT_POOL_SIZE = 64;

    public String name = "default";
    /** OpenAI-style base URL including its version path, e.g. {@code http://localhost:8000/v1}. */
    public String baseUrl;
    /** Model names served by this route; {@code *} or empty makes it the default route. */
    public List<String> models = new ArrayList<>();
    /** Environment variable holding the upstream API key (never logged, never sent to clients). */
    public String apiKeyEnv;
    public long connectTimeoutMs = DEFAULT_CONNECT_TIMEOUT_MS;
    /** Longest silence from the upstream, before or during a response. */
    public long readTimeoutMs = DEFAULT_READ_TIMEOUT_MS;
    /** Keep-alive connections idle longer than this are closed. */
    public int idleTimeoutSeconds = DEFAULT_IDLE_TIMEOUT_S;
    /** Open connections per event loop; requests beyond them wait up to the connect timeout for a free one. */
    public int maxPoolSize = DEFAULT_POOL_SIZE;
  }

  @JsonIgnoreProperties(ignoreUnknown = false)
  public static class ApiKey {
    /** Hex SHA-256 of the full key as the client sends it after {@code Bearer }. */
    public String sha256;
    /** Non-secret id recorded on exchanges; defaults to the first 12 hex digits of the hash. */
    public String id;
    public String tenant = "default";
    public String policy = "default";
  }

  @JsonIgnoreProperties(ignoreUnknown = false)
  public static class Limits {
    public static final long DEFAULT_MAX_BODY_BYTES = 20L * 1024 * 1024;
    public static final int DEFAULT_MAX_MESSAGES = 512;
    public static final int DEFAULT_MAX_IMAGE_PARTS = 32;
    public static final int DEFAULT_MAX_JSON_DEPTH = 64;

    public long maxBodyBytes = DEFAULT_MAX_BODY_BYTES;
    public int maxMessages = DEFAULT_MAX_MESSAGES;
    public int maxImageParts = DEFAULT_MAX_IMAGE_PARTS;
    public int maxJsonDepth = DEFAULT_MAX_JSON_DEPTH;
    public RateLimit rateLimit = new RateLimit();
  }

  /** Token bucket per API key; {@code requestsPerSecond <= 0} turns it off. */
  @JsonIgnoreProperties(ignoreUnknown = false)
  public static class RateLimit {
    public double requestsPerSecond = 0;
    public int burst = 0;
  }

  @JsonIgnoreProperties(ignoreUnknown = false)
  public static class Exchanges {
    public static final int DEFAULT_INLINE_IMAGE_MAX_BYTES = 0;
    public static final int DEFAULT_MAX_RESPONSE_TEXT_CHARS = 1 << 20;

    /** Images at most this size are copied into the exchange; larger ones only by sha256, mime and size. */
    public int inlineImageMaxBytes = DEFAULT_INLINE_IMAGE_MAX_BYTES;
    /** Cap on the assembled response text kept for the exchange record. */
    public int maxResponseTextChars = DEFAULT_MAX_RESPONSE_TEXT_CHARS;
  }

  @JsonIgnoreProperties(ignoreUnknown = false)
  public static class Publisher {
    public static final long DEFAULT_SPOOL_MAX_BYTES = 256L * 1024 * 1024;

    /** {@code none}, {@code log} or {@code kafka}. */
    public String type = "none";
    public String bootstrapServers = "localhost:9092";
    public String schemaRegistryUrl = "http://localhost:8081";
    public String topic = "guard.exchanges.v1";
    public String spoolDir = "data/gateway-spool";
    public long spoolMaxBytes = DEFAULT_SPOOL_MAX_BYTES;
    /** {@code refuse}: answer 503 while the spool is full; {@code drop}: serve and count the lost exchange. */
    public String spoolFullPolicy = "refuse";
    /** How long the producer keeps retrying one record before it goes to the spool. */
    public long deliveryTimeoutMs = 30_000;
  }

  /** In-flight moderation: policies and the guard transports they may name. Off unless enabled. */
  @JsonIgnoreProperties(ignoreUnknown = false)
  public static class Moderation {
    public boolean enabled = false;
    /** YAML policy file, reloaded on change; empty: built-in defaults (sync, hold_back, block, fail_closed, kafka). */
    public String policiesFile;
    public long policyCheckIntervalMs = 1_000;
    public KafkaGuard kafka = new KafkaGuard();
    public DirectGuard direct = new DirectGuard();
  }

  /** The {@code kafka} transport: checks topic out, this instance's partition of the replies topic in. */
  @JsonIgnoreProperties(ignoreUnknown = false)
  public static class KafkaGuard {
    public boolean enabled = true;
    public String bootstrapServers = "localhost:9092";
    public String schemaRegistryUrl = "http://localhost:8081";
    public String checksTopic = "guard.checks.v1";
    public String repliesTopic = "guard.replies.v1";
    /** This gateway instance's partition of the replies topic; unique per instance. */
    public int instanceOrdinal = 0;
  }

  /** The {@code direct} transport: HTTP to the model server's batch API, micro-batched. */
  @JsonIgnoreProperties(ignoreUnknown = false)
  public static class DirectGuard {
    /** Model server base URL, e.g. {@code http://localhost:8090}; empty: no direct transport. */
    public String url;
    public int maxBatch = 16;
    public long maxWaitMs = 2;
  }

  /** The route used when no route names the request's model. */
  public UpstreamRoute defaultRoute() {
    for (UpstreamRoute route : upstreams) {
      if (route.models == null || route.models.isEmpty() || route.models.contains("*")) {
        return route;
      }
    }
    return upstreams.isEmpty() ? null : upstreams.get(0);
  }
}
