package io.guardstream.streams.guard;

import java.util.List;

import io.guardstream.guardapi.GuardItem;
import io.guardstream.guardapi.GuardResult;
import io.guardstream.guardapi.Priority;

/** Judges items with the guard model. Implementations are thread-safe. */
public interface GuardClient extends AutoCloseable {

    /**
     * Judges a batch, blocking the calling thread (stream threads only, never an event loop).
     *
     * @param priority {@link Priority#INTERACTIVE} when a caller waits on the answer (in-flight checks),
     *                 {@link Priority#BACKGROUND} otherwise (audit), so the guard serves waiting callers first
     * @return one result per item, in any order, matched by id
     * @throws GuardUnavailableException when the guard could not answer within the configured timeouts
     *                                   and retries, or the circuit breaker is open
     */
    List<GuardResult> judge(List<GuardItem> items, Priority priority);

    /** Judges a batch as {@link Priority#INTERACTIVE}. */
    default List<GuardResult> judge(List<GuardItem> items) {
        return judge(items, Priority.INTERACTIVE);
    }

    @Override
    default void close() {
    }
}
