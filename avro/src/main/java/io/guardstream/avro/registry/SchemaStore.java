package io.guardstream.avro.registry;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;

import org.apache.avro.Schema;
import org.apache.avro.SchemaParseException;

/**
 * The registry's state and rules, independent of storage and HTTP: global ids shared by identical
 * schemas, per-subject versions, compatibility levels (global default BACKWARD). Changes are handed to a
 * {@link Journal} before they are applied, so the state can be rebuilt by replaying the journal.
 * Not thread-safe: {@link EmbeddedSchemaRegistry} serialises access.
 */
final class SchemaStore {

    /** Durable log of changes; {@link KafkaSchemaJournal} writes them to the compacted {@code _schemas} topic. */
    interface Journal {
        void appendSchema(String subject, int version, int id, String schema);

        void appendConfig(String subject, CompatibilityLevel level);
    }

    static final CompatibilityLevel DEFAULT_LEVEL = CompatibilityLevel.BACKWARD;

    private final Journal journal;
    private final Map<Integer, Schema> schemasById = new HashMap<>();
    private final Map<String, Integer> idsByCanonical = new HashMap<>();
    private final Map<String, List<Version>> versionsBySubject = new HashMap<>();
    private final Map<String, CompatibilityLevel> levelsBySubject = new HashMap<>();
    private CompatibilityLevel globalLevel = DEFAULT_LEVEL;
    private int maxId;

    record Version(int version, int id) {
    }

    SchemaStore(Journal journal) {
        this.journal = journal;
    }

    RegisteredSchema register(String subject, String schemaText) {
        Schema schema = parse(schemaText);
        String canonical = schema.toString();
        Optional<RegisteredSchema> existing = find(subject, canonical);
        if (existing.isPresent()) {
            return existing.get();
        }
        checkCompatible(subject, schema);
        int id = idsByCanonical.getOrDefault(canonical, maxId + 1);
        List<Version> versions = versionsBySubject.getOrDefault(subject, List.of());
        int version = versions.isEmpty() ? 1 : versions.get(versions.size() - 1).version() + 1;
        journal.appendSchema(subject, version, id, canonical);
        applySchema(subject, version, id, canonical);
        return new RegisteredSchema(subject, id, version, schemasById.get(id));
    }

    RegisteredSchema lookup(String subject, String schemaText) {
        requireSubject(subject);
        return find(subject, parse(schemaText).toString()).orElseThrow(() ->
                new SchemaRegistryException(404, SchemaRegistryException.SCHEMA_NOT_FOUND, "Schema not found"));
    }

    Schema byId(int id) {
        Schema schema = schemasById.get(id);
        if (schema == null) {
            throw new SchemaRegistryException(404, SchemaRegistryException.SCHEMA_NOT_FOUND, "Schema " + id + " not found");
        }
        return schema;
    }

    RegisteredSchema latest(String subject) {
        List<Version> versions = requireSubject(subject);
        Version last = versions.get(versions.size() - 1);
        return new RegisteredSchema(subject, last.id(), last.version(), schemasById.get(last.id()));
    }

    RegisteredSchema version(String subject, int version) {
        return requireSubject(subject).stream().filter(v -> v.version() == version).findFirst()
                .map(v -> new RegisteredSchema(subject, v.id(), v.version(), schemasById.get(v.id())))
                .orElseThrow(() -> new SchemaRegistryException(404, SchemaRegistryException.VERSION_NOT_FOUND,
                        "Version " + version + " not found"));
    }

    List<Integer> versions(String subject) {
        return requireSubject(subject).stream().map(Version::version).toList();
    }

    List<String> subjects() {
        return new ArrayList<>(new TreeSet<>(versionsBySubject.keySet()));
    }

    boolean isCompatible(String subject, String schemaText) {
        Schema schema = parse(schemaText);
        return compatibilityViolation(subject, schema).isEmpty();
    }

    /** The subject's own level, or empty when it follows the global level. */
    Optional<CompatibilityLevel> subjectLevel(String subject) {
        return Optional.ofNullable(levelsBySubject.get(subject));
    }

    CompatibilityLevel globalLevel() {
        return globalLevel;
    }

    void setLevel(String subject, CompatibilityLevel level) {
        journal.appendConfig(subject, level);
        applyConfig(subject, level);
    }

    /** Applies a journal entry; used both for replay and after a successful append. */
    void applySchema(String subject, int version, int id, String schemaText) {
        Schema schema = schemasById.computeIfAbsent(id, ignored -> parse(schemaText));
        idsByCanonical.putIfAbsent(schema.toString(), id);
        List<Version> versions = versionsBySubject.computeIfAbsent(subject, ignored -> new ArrayList<>());
        if (versions.stream().noneMatch(v -> v.version() == version)) {
            versions.add(new Version(version, id));
            versions.sort((a, b) -> Integer.compare(a.version(), b.version()));
        }
        maxId = Math.max(maxId, id);
    }

    void applyConfig(String subject, CompatibilityLevel level) {
        if (subject == null) {
            globalLevel = level;
        } else {
            levelsBySubject.put(subject, level);
        }
    }

    private Optional<RegisteredSchema> find(String subject, String canonical) {
        Integer id = idsByCanonical.get(canonical);
        if (id == null) {
            return Optional.empty();
        }
        return versionsBySubject.getOrDefault(subject, List.of()).stream().filter(v -> v.id() == id).findFirst()
                .map(v -> new RegisteredSchema(subject, id, v.version(), schemasById.get(id)));
    }

    private void checkCompatible(String subject, Schema schema) {
        compatibilityViolation(subject, schema).ifPresent(message -> {
            throw new IncompatibleSchemaException(message);
        });
    }

    private Optional<String> compatibilityViolation(String subject, Schema schema) {
        List<Version> versions = versionsBySubject.getOrDefault(subject, List.of());
        if (versions.isEmpty()) {
            return Optional.empty();
        }
        CompatibilityLevel level = levelsBySubject.getOrDefault(subject, globalLevel);
        List<Version> toCheck = level.transitive() ? versions : List.of(versions.get(versions.size() - 1));
        for (Version existing : toCheck) {
            if (!level.allows(schema, schemasById.get(existing.id()))) {
                return Optional.of("Schema being registered is incompatible with version " + existing.version()
                        + " of subject " + subject + " under compatibility level " + level);
            }
        }
        return Optional.empty();
    }

    private List<Version> requireSubject(String subject) {
        List<Version> versions = versionsBySubject.get(subject);
        if (versions == null || versions.isEmpty()) {
            throw new SchemaRegistryException(404, SchemaRegistryException.SUBJECT_NOT_FOUND, "Subject '" + subject + "' not found.");
        }
        return versions;
    }

    private static Schema parse(String schemaText) {
        if (schemaText == null || schemaText.isBlank()) {
            throw new SchemaRegistryException(422, SchemaRegistryException.INVALID_SCHEMA, "Empty schema");
        }
        try {
            return new Schema.Parser().parse(schemaText);
        } catch (SchemaParseException e) {
            throw new SchemaRegistryException(422, SchemaRegistryException.INVALID_SCHEMA, "Invalid schema: " + e.getMessage());
        }
    }
}
