package io.guardstream.avro.registry;

/**
 * An error answered by a schema registry, carrying the HTTP status and Confluent's {@code error_code}
 * (e.g. 40401 subject not found, 40403 schema not found, 409 incompatible, 42201 invalid schema).
 */
public class SchemaRegistryException extends RuntimeException {

    public static final int SUBJECT_NOT_FOUND = 40401;
    public static final int VERSION_NOT_FOUND = 40402;
    public static final int SCHEMA_NOT_FOUND = 40403;
    public static final int SUBJECT_CONFIG_NOT_FOUND = 40408;
    public static final int INCOMPATIBLE_SCHEMA = 409;
    public static final int INVALID_SCHEMA = 42201;
    public static final int INVALID_COMPATIBILITY_LEVEL = 42203;
    public static final int STORE_ERROR = 50001;

    private final int status;
    private final int errorCode;

    public SchemaRegistryException(int status, int errorCode, String message) {
        super(message + " (HTTP " + status + ", error_code " + errorCode + ")");
        this.status = status;
        this.errorCode = errorCode;
    }

    public SchemaRegistryException(String message, Throwable cause) {
        super(message, cause);
        this.status = 0;
        this.errorCode = 0;
    }

    /** HTTP status, or 0 when the registry could not be reached. */
    public int status() {
        return status;
    }

    /** Confluent error code, or 0 when unknown. */
    public int errorCode() {
        return errorCode;
    }

    public boolean isNotFound() {
        return status == 404;
    }

    static SchemaRegistryException of(int status, int errorCode, String message) {
        if (status == 409 || errorCode == INCOMPATIBLE_SCHEMA) {
            return new IncompatibleSchemaException(message);
        }
        return new SchemaRegistryException(status, errorCode, message);
    }
}
