package io.guardstream.gateway.config;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * Builds a {@link GatewayConfig} from defaults, an optional YAML file and {@code GUARDSTREAM_*}
 * environment variables, in that order. A variable names a config path in upper snake case:
 * {@code GUARDSTREAM_SERVER_PORT=9000}, {@code GUARDSTREAM_LIMITS_MAX_BODY_BYTES=1048576},
 * {@code GUARDSTREAM_PASSTHROUGH=/v1/embeddings,/v1/completions}. Two shortcuts:
 * {@code GUARDSTREAM_UPSTREAM} (a base URL for the default route) and {@code GUARDSTREAM_API_KEY}
 * (one key for tenant {@code default}).
 */
public final class ConfigLoader {

  public static final String ENV_PREFIX = "GUARDSTREAM_";

  private static final ObjectMapper MAPPER = JsonMapper.builder()
      .enable(MapperFeature.ACCEPT_CASE_INSENSITIVE_PROPERTIES)
      .enable(DeserializationFeature.ACCEPT_SINGLE_VALUE_AS_ARRAY)
      .build();

  private ConfigLoader() {
  }

  public static GatewayConfig load(Path yamlFile, Map<String, String> env) throws IOException {
    Map<String, Object> tree = defaultsTree();
    if (yamlFile != null) {
      try (InputStream in = Files.newInputStream(yamlFile)) {
        Object loaded = new Yaml(new SafeConstructor(new LoaderOptions())).load(in);
        if (loaded != null && !(loaded instanceof Map)) {
          throw new IllegalArgumentException("Config file " + yamlFile + " must hold a YAML mapping");
        }
        if (loaded != null) {
          mergeInto(tree, castMap(loaded));
        }
      }
    }
    applyEnv(tree, env);
    GatewayConfig config;
    try {
      config = MAPPER.convertValue(tree, GatewayConfig.class);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("Invalid gateway config: " + e.getMessage(), e);
    }
    applyShortcuts(config, env);
    return config;
  }

  public static GatewayConfig fromYaml(String yaml) {
    Map<String, Object> tree = defaultsTree();
    Object loaded = new Yaml(new SafeConstructor(new LoaderOptions())).load(yaml);
    if (loaded != null) {
      mergeInto(tree, castMap(loaded));
    }
    return MAPPER.convertValue(tree, GatewayConfig.class);
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
  }

  private static Map<String, Object> defaultsTree() {
    return castMap(MAPPER.convertValue(new GatewayConfig(), Map.class));
  }

  static void applyEnv(Map<String, Object> tree, Map<String, String> env) {
    for (Map.Entry<String, String> e : env.entrySet()) {
      String name = e.getKey();
      if (!name.startsWith(ENV_PREFIX) || name.equals(ENV_PREFIX + "UPSTREAM") || name.equals(ENV_PREFIX + "API_KEY")) {
        continue;
      }
      List<String> tokens = Arrays.asList(name.substring(ENV_PREFIX.length()).toLowerCase(Locale.ROOT).split("_"));
      setPath(tree, tokens, e.getValue());
    }
  }

  private static boolean setPath(Map<String, Object> map, List<String> tokens, String value) {
    for (int end = 1; end <= tokens.size(); end++) {
      String candidate = String.join("", tokens.subList(0, end));
      for (Map.Entry<String, Object> entry : map.entrySet()) {
        if (!normalize(entry.getKey()).equals(candidate)) {
          continue;
        }
        if (end == tokens.size()) {
          Object current = entry.getValue();
          entry.setValue(current instanceof List ? splitList(value) : value);
          return true;
        }
        if (entry.getValue() instanceof Map<?, ?> nested && setPath(castMap(nested), tokens.subList(end, tokens.size()), value)) {
          return true;
        }
      }
    }
    return false;
  }

  private static List<String> splitList(String value) {
    List<String> out = new ArrayList<>();
    for (String s : value.split(",")) {
      if (!s.isBlank()) {
        out.add(s.trim());
      }
    }
    return out;
  }

  private static String normalize(String key) {
    return key.replace("_", "").replace("-", "").toLowerCase(Locale.ROOT);
  }

  @SuppressWarnings("unchecked")
  private static void mergeInto(Map<String, Object> base, Map<String, Object> overlay) {
    for (Map.Entry<String, Object> e : overlay.entrySet()) {
      String key = findKey(base, e.getKey());
      Object existing = base.get(key);
      if (existing instanceof Map && e.getValue() instanceof Map) {
        mergeInto((Map<String, Object>) existing, (Map<String, Object>) e.getValue());
      } else {
        base.put(key, e.getValue());
      }
    }
  }

  private static String findKey(Map<String, Object> base, String key) {
    for (String existing : base.keySet()) {
      if (normalize(existing).equals(normalize(key))) {
        return existing;
      }
    }
    return key;
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> castMap(Object o) {
    return (Map<String, Object>) o;
  }
}
