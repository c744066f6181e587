package io.guardstream.config;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

/**
 * Builds a service's typed configuration in layers: the defaults of the config class, then a YAML file,
 * then environment variables, then explicit overrides (command-line flags). Each layer only replaces the
 * keys it names.
 *
 * <p>Environment variables name a key path in upper snake case behind a prefix: with prefix
 * {@code GUARDSTREAM_}, {@code kafka.controllerPort} is {@code GUARDSTREAM_KAFKA_CONTROLLER_PORT}. Only keys
 * present in the defaults can be set this way; lists and maps are set as a whole in YAML.
 */
public final class ConfigLoader<T> {

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory())
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, true);

    private final Class<T> type;
    private final T defaults;
    private final String envPrefix;

    public ConfigLoader(Class<T> type, T defaults, String envPrefix) {
        this.type = type;
        this.defaults = defaults;
        this.envPrefix = envPrefix;
    }

    /**
     * @param yamlFile optional YAML file (null for none)
     * @param env environment, usually {@code System::getenv}
     * @param overrides dotted key paths to values, e.g. {@code "kafka.port" -> "9092"}
     */
    public T load(Path yamlFile, Function<String, String> env, Map<String, String> overrides) {
        ObjectNode tree = YAML.valueToTree(defaults);
        if (yamlFile != null) {
            merge(tree, readYaml(yamlFile));
        }
        applyEnvironment(tree, "", env);
        overrides.forEach((path, value) -> set(tree, path, value));
        try {
            return YAML.treeToValue(tree, type);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("Invalid configuration: " + e.getOriginalMessage(), e);
        }
    }

    /** The environment variable that sets a dotted key path. */
    public String envName(String path) {
        StringBuilder name = new StringBuilder(envPrefix);
        for (char c : path.toCharArray()) {
            if (c == '.' || c == '-') {
                name.append('_');
            } else if (Character.isUpperCase(c)) {
                name.append('_').append(c);
            } else {
                name.append(Character.toUpperCase(c));
            }
        }
        return name.toString();
    }

    /** Every settable leaf key path of the defaults, for documentation and {@code --help}. */
    public List<String> keyPaths() {
        List<String> paths = new ArrayList<>();
        collect(YAML.valueToTree(defaults), "", paths);
        return paths;
    }

    private static JsonNode readYaml(Path file) {
        try {
            JsonNode node = YAML.readTree(Files.readString(file));
            if (node == null || node.isMissingNode() || node.isNull()) {
                return YAML.createObjectNode();
            }
            if (!node.isObject()) {
                throw new IllegalArgumentException("Config file " + file + " must hold a YAML mapping");
            }
            return node;
        } catch (IOException e) {
            throw new IllegalArgumentException("Cannot read config file " + file + ": " + e.getMessage(), e);
        }
    }

    private void applyEnvironment(ObjectNode node, String prefix, Function<String, String> env) {
        Iterator<Map.Entry<String, JsonNode>> fields = node.fields();
        List<Map.Entry<String, String>> updates = new ArrayList<>();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> field = fields.next();
            String path = prefix + field.getKey();
            if (field.getValue().isObject()) {
                applyEnvironment((ObjectNode) field.getValue(), path + ".", env);
            } else if (!field.getValue().isContainerNode()) {
                String value = env.apply(envName(path));
                if (value != null) {
                    updates.add(Map.entry(field.getKey(), value));
                }
            }
        }
        updates.forEach(u -> node.set(u.getKey(), new TextNode(u.getValue())));
    }

    private static void set(ObjectNode tree, String path, String value) {
        String[] parts = path.split("\\.");
        ObjectNode node = tree;
        for (int i = 0; i < parts.length - 1; i++) {
            JsonNode child = node.get(parts[i]);
            if (child == null || !child.isObject()) {
                child = node.putObject(parts[i]);
            }
            node = (ObjectNode) child;
        }
        node.set(parts[parts.length - 1], value == null ? null : new TextNode(value));
    }

    private static void merge(ObjectNode target, JsonNode source) {
        source.fields().forEachRemaining(field -> {
            JsonNode existing = target.get(field.getKey());
            if (existing != null && existing.isObject() && field.getValue().isObject()) {
                merge((ObjectNode) existing, field.getValue());
            } else {
                target.set(field.getKey(), field.getValue());
            }
        });
    }

    private static void collect(JsonNode node, String prefix, List<String> paths) {
        node.fields().forEachRemaining(field -> {
            if (field.getValue().isObject()) {
                collect(field.getValue(), prefix + field.getKey() + ".", paths);
            } else {
                paths.add(prefix + field.getKey());
            }
        });
    }
}
