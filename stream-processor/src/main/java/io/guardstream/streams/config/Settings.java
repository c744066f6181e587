package io.guardstream.streams.config;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * Flat view of configuration: dotted keys ({@code guard.model-url}) read from YAML, then overridden by
 * {@code GUARDSTREAM_*} environment variables, then by explicit overrides (command line).
 *
 * <p>An environment variable names a key upper-cased with dots and dashes as underscores:
 * {@code GUARDSTREAM_GUARD_MODEL_URL} sets {@code guard.model-url}. For map-valued settings the rest of
 * the name after the map's own name is the entry key, lower-cased: {@code GUARDSTREAM_ADMIN_TENANT_TOKENS_ACME}
 * sets {@code admin.tenant-tokens.acme}.
 */
public final class Settings {

    public static final String ENV_PREFIX = "GUARDSTREAM_";

    private final Map<String, String> values;

    private Settings(Map<String, String> values) {
        this.values = Collections.unmodifiableMap(new TreeMap<>(values));
    }

    public static Settings of(Map<String, String> values) {
        return new Settings(values);
    }

    public static Settings empty() {
        return new Settings(Map.of());
    }

    /** Reads a YAML file (nested maps) into dotted keys. */
    public static Settings fromYaml(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            return fromYaml(in);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read config file " + file, e);
        }
    }

    public static Settings fromYaml(InputStream in) {
        Object root = new Yaml(new SafeConstructor(new LoaderOptions())).load(in);
        Map<String, String> flat = new LinkedHashMap<>();
        if (root instanceof Map<?, ?> map) {
            flatten("", map, flat);
        } else if (root != null) {
            throw new IllegalArgumentException("Config YAML must be a mapping at the top level");
        }
        return new Settings(flat);
    }

    /**
     * Applies {@code GUARDSTREAM_*} variables whose names match a known key or a known map prefix.
     * Unknown variables are ignored so other components can share the prefix.
     */
    public Settings withEnv(Map<String, String> env, List<String> knownKeys, List<String> mapPrefixes) {
        Map<String, String> merged = new LinkedHashMap<>(values);
        Map<String, String> byEnvName = new LinkedHashMap<>();
        for (String key : knownKeys) {
            byEnvName.put(envName(key), key);
        }
        env.forEach((name, value) -> {
            if (!name.startsWith(ENV_PREFIX)) {
                return;
            }
            String key = byEnvName.get(name);
            if (key != null) {
                merged.put(key, value);
                return;
            }
            for (String prefix : mapPrefixes) {
                String envPrefix = envName(prefix) + "_";
                if (name.startsWith(envPrefix) && name.length() > envPrefix.length()) {
                    merged.put(prefix + "." + name.substring(envPrefix.length()).toLowerCase(Locale.ROOT), value);
                    return;
                }
            }
        });
        return new Settings(merged);
    }

    public Settings with(Map<String, String> overrides) {
        Map<String, String> merged = new LinkedHashMap<>(values);
        overrides.forEach((k, v) -> {
            if (v != null) {
                merged.put(k, v);
            }
        });
        return new Settings(merged);
    }

    public static String envName(String key) {
        return ENV_PREFIX + key.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
    }

    public String string(String key, String fallback) {
        String value = values.get(key);
        return value == null || value.isBlank() ? fallback : value.trim();
    }

    public int integer(String key, int fallback) {
        String value = values.get(key);
        return value == null || value.isBlank() ? fallback : parse(key, value, Integer::parseInt);
    }

    public long longValue(String key, long fallback) {
        String value = values.get(key);
        return value == null || value.isBlank() ? fallback : parse(key, value, Long::parseLong);
    }

    public double decimal(String key, double fallback) {
        String value = values.get(key);
        return value == null || value.isBlank() ? fallback : parse(key, value, Double::parseDouble);
    }

    public boolean bool(String key, boolean fallback) {
        String value = values.get(key);
        if (value == null || value.isBlank()) {
            return fallback;
        }
        String v = value.trim().toLowerCase(Locale.ROOT);
        if (v.equals("true") || v.equals("false")) {
            return Boolean.parseBoolean(v);
        }
        throw new IllegalArgumentException("Setting " + key + " must be true or false, got '" + value + "'");
    }

    /** Entries under {@code prefix.}, keyed by the rest of the key. */
    public Map<String, String> map(String prefix) {
        Map<String, String> out = new TreeMap<>();
        String p = prefix + ".";
        values.forEach((k, v) -> {
            if (k.startsWith(p) && v != null && !v.isBlank()) {
                out.put(k.substring(p.length()), v.trim());
            }
        });
        return out;
    }

    public Map<String, String> asMap() {
        return values;
    }

    private interface Parser<T> {
        T parse(String s);
    }

    private static <T> T parse(String key, String value, Parser<T> parser) {
        try {
            return parser.parse(value.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("Setting " + key + " must be a number, got '" + value + "'", e);
        }
    }

    private static void flatten(String prefix, Map<?, ?> map, Map<String, String> out) {
        map.forEach((k, v) -> {
            String key = prefix.isEmpty() ? String.valueOf(k) : prefix + "." + k;
            if (v instanceof Map<?, ?> nested) {
                flatten(key, nested, out);
            } else if (v instanceof List<?> list) {
                out.put(key, String.join(",", list.stream().map(String::valueOf).toList()));
            } else if (v != null) {
                out.put(key, String.valueOf(v));
            }
        });
    }
}
