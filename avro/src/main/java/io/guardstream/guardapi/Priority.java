package io.guardstream.guardapi;

import java.util.Locale;

/**
 * The {@code priority} of a guard call, which picks the model server's batcher lane: {@link #INTERACTIVE} (the
 * default) for calls a user is waiting on, {@link #BACKGROUND} for work nobody waits on (audit). Interactive items
 * always run before background ones.
 */
public enum Priority {
    INTERACTIVE, BACKGROUND;

    /** {@code interactive} or {@code background}, as on the wire. */
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
