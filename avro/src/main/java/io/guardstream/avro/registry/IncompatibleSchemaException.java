package io.guardstream.avro.registry;

/** The registry refused a schema because it breaks the subject's compatibility rule (HTTP 409). */
public class IncompatibleSchemaException extends SchemaRegistryException {

    public IncompatibleSchemaException(String message) {
        super(409, INCOMPATIBLE_SCHEMA, message);
    }
}
