package io.guardstream.model.batch;

import java.util.Locale;

/**
 * Which queue of a {@link DynamicBatcher} an item waits in. Interactive items (a caller is waiting, e.g. an in-flight
 * check) are always served before background items (e.g. audit of finished exchanges).
 */
public enum Lane {
    INTERACTIVE, BACKGROUND;

    /** The name used on the wire and in metrics: {@code interactive} or {@code background}. */
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
