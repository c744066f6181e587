package io.guardstream.avro.registry;

import java.util.List;

import org.apache.avro.Schema;

/**
 * The part of the Confluent Schema Registry REST API that GuardStream uses. Implemented over HTTP by
 * {@link RestSchemaRegistryClient}; works against Confluent Schema Registry, Apicurio's ccompat API,
 * Karapace, Redpanda and GuardStream's {@link EmbeddedSchemaRegistry}.
 */
public interface SchemaRegistryClient extends AutoCloseable {

    /** {@code POST /subjects/{subject}/versions}: registers (or finds) the schema, returns its global id. */
    int register(String subject, Schema schema);

    /** {@code POST /subjects/{subject}}: the id and version of an already registered schema; 404 when absent. */
    RegisteredSchema lookup(String subject, Schema schema);

    /** {@code GET /schemas/ids/{id}}. */
    Schema schemaById(int id);

    /** {@code GET /subjects/{subject}/versions/latest}. */
    RegisteredSchema latest(String subject);

    /** {@code POST /compatibility/subjects/{subject}/versions/latest}. */
    boolean isCompatible(String subject, Schema schema);

    /** {@code GET /config/{subject}?defaultToGlobal=true}. */
    CompatibilityLevel compatibility(String subject);

    /** {@code PUT /config/{subject}}. */
    void setCompatibility(String subject, CompatibilityLevel level);

    /** {@code GET /subjects}. */
    List<String> subjects();

    @Override
    default void close() {
    }
}
