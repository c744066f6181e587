package io.guardstream.streams.testing;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.guardstream.avro.registry.CompatibilityLevel;
import io.guardstream.avro.registry.RegisteredSchema;
import io.guardstream.avro.registry.SchemaRegistryClient;
import io.guardstream.avro.registry.SchemaRegistryException;
import org.apache.avro.Schema;

/** A schema registry in memory for topology tests; no compatibility checks. */
public final class InMemorySchemaRegistry implements SchemaRegistryClient {

    private final Map<Integer, Schema> byId = new HashMap<>();
    private final Map<String, Integer> ids = new HashMap<>();
    private final Map<String, List<Integer>> subjects = new HashMap<>();

    @Override
    public synchronized int register(String subject, Schema schema) {
        int id = ids.computeIfAbsent(schema.toString(), s -> {
            int next = byId.size() + 1;
            byId.put(next, schema);
            return next;
        });
        List<Integer> versions = subjects.computeIfAbsent(subject, s -> new ArrayList<>());
        if (!versions.contains(id)) {
            versions.add(id);
        }
        return id;
    }

    @Override
    public synchronized RegisteredSchema lookup(String subject, Schema schema) {
        Integer id = ids.get(schema.toString());
        List<Integer> versions = subjects.get(subject);
        if (id == null || versions == null || !versions.contains(id)) {
            throw new SchemaRegistryException(404, 40403, "Schema not found");
        }
        return new RegisteredSchema(subject, id, versions.indexOf(id) + 1, schema);
    }

    @Override
    public synchronized Schema schemaById(int id) {
        Schema schema = byId.get(id);
        if (schema == null) {
            throw new SchemaRegistryException(404, 40403, "Schema " + id + " not found");
        }
        return schema;
    }

    @Override
    public synchronized RegisteredSchema latest(String subject) {
        List<Integer> versions = subjects.get(subject);
        if (versions == null || versions.isEmpty()) {
            throw new SchemaRegistryException(404, 40401, "Subject not found");
        }
        int id = versions.get(versions.size() - 1);
        return new RegisteredSchema(subject, id, versions.size(), byId.get(id));
    }

    @Override
    public boolean isCompatible(String subject, Schema schema) {
        return true;
    }

    @Override
    public CompatibilityLevel compatibility(String subject) {
        return CompatibilityLevel.BACKWARD;
    }

    @Override
    public void setCompatibility(String subject, CompatibilityLevel level) {
    }

    @Override
    public synchronized List<String> subjects() {
        return List.copyOf(subjects.keySet());
    }
}
