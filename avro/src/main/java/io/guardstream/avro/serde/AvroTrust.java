package io.guardstream.avro.serde;

import org.apache.avro.util.ClassSecurityValidator;

/**
 * Avro 1.12 instantiates generated classes only from trusted packages. GuardStream's own record classes
 * are trusted here, once per JVM, so no user has to pass {@code -Dorg.apache.avro.SERIALIZABLE_PACKAGES}.
 * Other trusted packages set by the user stay trusted.
 */
final class AvroTrust {

    static final String TRUSTED_PACKAGE = "io.guardstream.avro.";
    private static volatile boolean installed;

    private AvroTrust() {
    }

    static void ensureInstalled() {
        if (installed) {
            return;
        }
        synchronized (AvroTrust.class) {
            if (!installed) {
                ClassSecurityValidator.ClassSecurityPredicate previous = ClassSecurityValidator.getGlobal();
                ClassSecurityValidator.setGlobal(ClassSecurityValidator.composite(previous,
                        type -> type.getName().startsWith(TRUSTED_PACKAGE)));
                installed = true;
            }
        }
    }
}
