package io.guardstream.gateway.config;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Builds a {@link GatewayConfig} the way every GuardStream service builds its config
 * ({@link io.guardstream.config.ConfigLoader}: defaults, then an optional YAML file, then
 * {@code GUARDSTREAM_*} environment variables naming scalar key paths in upper snake case:
 * {@code GUARDSTREAM_SERVER_PORT=9000}, {@code GUARDSTREAM_LIMITS_MAX_BODY_BYTES=1048576}).
 * Three gateway shortcuts follow: {@code GUARDSTREAM_UPSTREAM} (a base URL for the default route),
 * {@code GUARDSTREAM_API_KEY} (one key for tenant {@code default}) and {@code GUARDSTREAM_PASSTHROUGH}
 * (comma-separated extra {@code /v1/*} paths).
 */
public final class ConfigLoader {

  public static final String ENV_PREFIX = "GUARDSTREAM_";

  private ConfigLoader() {
  }

  public static GatewayConfig load(Path yamlFile, Map<String, String> env) throws IOException {
    GatewayConfig config = new io.guardstream.config.ConfigLoader<>(GatewayConfig.class, new GatewayConfig(), ENV_PREFIX)
        .load(yamlFile, env::get, Map.of());
    applyShortcuts(config, env);
    return config;
  }

  /** Adds one gateway key for tenant {@code default}, stored as its hash. */
  public static void addApiKey(GatewayConfig config, String rawKey) {
    GatewayConfig.ApiKey key = new GatewayConfig.ApiKey();
    key.sha256 = io.guardstream.gateway.auth.ApiKeyAuthenticator.sha256Hex(rawKey);
    config.apiKeys.add(key);
  }

  /** Points the default route at {@code baseUrl}, adding one if none exists. */
  public static void setDefaultUpstream(GatewayConfig config, String baseUrl) {
    GatewayConfig.UpstreamRoute route = config.defaultRoute();
    if (route == null) {
      route = new GatewayConfig.UpstreamRoute();
      config.upstreams.add(route);
    }
    route.baseUrl = baseUrl;
  }

  private static void applyShortcuts(GatewayConfig config, Map<String, String> env) {
    String upstream = env.get(ENV_PREFIX + "UPSTREAM");
    if (upstream != null && !upstream.isBlank()) {
      setDefaultUpstream(config, upstream.trim());
    }
    String apiKey = env.get(ENV_PREFIX + "API_KEY");
    if (apiKey != null && !apiKey.isBlank()) {
      addApiKey(config, apiKey.trim());
    }
    String passthrough = env.get(ENV_PREFIX + "PASSTHROUGH");
    if (passthrough != null) {
      List<String> paths = new ArrayList<>();
      for (String p : passthrough.split(",")) {
        if (!p.isBlank()) {
          paths.add(p.trim());
        }
      }
      config.passthrough = paths;
    }
  }
}
