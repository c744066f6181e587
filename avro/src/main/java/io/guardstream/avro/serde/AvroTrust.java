package io.guardstream.avro.serde;

import org.apache.avro.util.ClassSecurityValidator;

/**
 * Avro 1.12 instantiates generated classes only from trusted packages. GuardStream's own record classes
 * are trusted here, once per JVM, so no user has to pass {@code -Dorg.apache.avro.SERIALIZABLE_PACKAGES}.
 * Other trusted packages set by the user stay trusted. Every generated record class calls
 * {@link #ensureInstalled()} from its static initializer (see the avro module's pom), and so do the serdes.
 */
public final class AvroTrust {

    static final String TRUSTED_PACKAGE = "io.guardstream.avro.";
    private static volatile boolean installed;

    private AvroTrust() {
    }

    public static void ensureInstalled() {
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
