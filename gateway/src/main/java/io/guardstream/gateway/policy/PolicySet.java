package io.guardstream.gateway.policy;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.util.LinkedHashMap;
import java.util.Map;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;

/**
 * All policies of one policy file, by name. A key's policy name picks one; unknown names fall back to
 * {@code default}, which always exists (built-in defaults when the file does not define it).
 *
 * <pre>
 * policies:
 *   default: {request: sync, response: hold_back, action: block}
 *   relaxed: {request: audit, response: stream_first, onGuardFailure: fail_open, transport: direct}
 * </pre>
 */
public final class PolicySet {

  public static final String DEFAULT = "default";
  private static final ObjectMapper MAPPER = JsonMapper.builder()
      .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
      .build();
  private static final YAMLMapper YAML = new YAMLMapper();

  private final Map<String, Policy> policies;

  private PolicySet(Map<String, Policy> policies) {
    this.policies = Map.copyOf(policies);
  }

  public static PolicySet defaults() {
    return new PolicySet(Map.of(DEFAULT, Policy.defaults()));
  }

  /** Parses and validates a policy file; any mistake throws {@link IllegalArgumentException} saying where. */
  @SuppressWarnings("unchecked")
  public static PolicySet parse(String yaml) {
    Object root;
    try {
      root = YAML.readValue(yaml, Object.class);
    } catch (java.io.IOException e) {
      throw new IllegalArgumentException("Policy file is not valid YAML: " + e.getMessage(), e);
    }
    if (root == null) {
      return defaults();
    }
    if (!(root instanceof Map<?, ?> rootMap) || !(rootMap.keySet().stream().allMatch("policies"::equals))) {
      throw new IllegalArgumentException("Policy file must be a mapping with the single key 'policies'");
    }
    Object section = rootMap.get("policies");
    if (section == null) {
      return defaults();
    }
    if (!(section instanceof Map<?, ?> byName)) {
      throw new IllegalArgumentException("'policies' must map policy names to settings");
    }
    Map<String, Policy> parsed = new LinkedHashMap<>();
    for (Map.Entry<?, ?> entry : byName.entrySet()) {
      String name = String.valueOf(entry.getKey());
      Object settings = entry.getValue() == null ? Map.of() : entry.getValue();
      Policy policy;
      try {
        policy = MAPPER.convertValue(settings, Policy.class);
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("Policy '" + name + "': " + rootCause(e), e);
      }
      policy.name = name;
      parsed.put(name, policy.validate());
    }
    parsed.putIfAbsent(DEFAULT, Policy.defaults());
    return new PolicySet(parsed);
  }

  /** The named policy, or {@code default} when no policy has that name. */
  public Policy forName(String name) {
    Policy policy = name == null ? null : policies.get(name);
    return policy != null ? policy : policies.get(DEFAULT);
  }

  public Map<String, Policy> all() {
    return policies;
  }

  private static String rootCause(Throwable e) {
    Throwable cause = e;
    while (cause.getCause() != null) {
      cause = cause.getCause();
    }
    String message = cause.getMessage();
    int detail = message == null ? -1 : message.indexOf(" (through reference chain");
    return detail > 0 ? message.substring(0, detail) : String.valueOf(message);
  }
}
