package io.guardstream.avro.registry;

import java.util.Locale;

import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;

/** Confluent compatibility levels and the Avro check each implies between a new schema and an existing one. */
public enum CompatibilityLevel {
    NONE, BACKWARD, BACKWARD_TRANSITIVE, FORWARD, FORWARD_TRANSITIVE, FULL, FULL_TRANSITIVE;

    public static CompatibilityLevel parse(String value) {
        try {
            return valueOf(value.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new SchemaRegistryException(422, SchemaRegistryException.INVALID_COMPATIBILITY_LEVEL,
                    "Invalid compatibility level: " + value);
        }
    }

    /** Whether every registered version must be checked, not only the latest. */
    public boolean transitive() {
        return this == BACKWARD_TRANSITIVE || this == FORWARD_TRANSITIVE || this == FULL_TRANSITIVE;
    }

    /** Whether {@code candidate} may be registered after {@code existing} under this level. */
    public boolean allows(Schema candidate, Schema existing) {
        boolean backward = readable(candidate, existing);
        boolean forward = readable(existing, candidate);
        return switch (this) {
            case NONE -> true;
            case BACKWARD, BACKWARD_TRANSITIVE -> backward;
            case FORWARD, FORWARD_TRANSITIVE -> forward;
            case FULL, FULL_TRANSITIVE -> backward && forward;
        };
    }

    private static boolean readable(Schema reader, Schema writer) {
        return SchemaCompatibility.checkReaderWriterCompatibility(reader, writer).getType()
                == SchemaCompatibility.SchemaCompatibilityType.COMPATIBLE;
    }
}
