package io.guardstream.avro.registry;

import org.apache.avro.Schema;

/** A schema as registered under a subject: global id, version within the subject, and the schema. */
public record RegisteredSchema(String subject, int id, int version, Schema schema) {
}
