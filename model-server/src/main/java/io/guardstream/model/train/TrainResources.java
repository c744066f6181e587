package io.guardstream.model.train;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/** The authored training sets' text resources (next to these classes on the class path) and their common syntax. */
final class TrainResources {

    private TrainResources() {
    }

    /** The UTF-8 text of {@code name}; an unreadable or missing resource is a packaging error, so it throws. */
    static String read(String name) {
        try (InputStream in = TrainResources.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("missing class path resource " + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The {@code TrainMain} flag that adds the set in {@code resource}: its name without {@code .txt}, after {@code --}. */
    static String flag(String resource) {
        return "--" + baseName(resource);
    }

    /** The {@code source} of the records of the set in {@code resource}: {@code guardstream-} and its name. */
    static String source(String resource) {
        return "guardstream-" + baseName(resource);
    }

    private static String baseName(String resource) {
        return resource.substring(0, resource.length() - ".txt".length());
    }

    /** The name of a {@code [section]} header line (already stripped), or null when {@code line} is not one. */
    static String sectionName(String line) {
        return line.startsWith("[") && line.endsWith("]") ? line.substring(1, line.length() - 1).strip() : null;
    }
}
