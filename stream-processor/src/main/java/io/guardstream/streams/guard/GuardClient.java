package io.guardstream.streams.guard;

import java.util.List;

import io.guardstream.guardapi.GuardItem;
import io.guardstream.guardapi.GuardResult;

/** Judges items with the guard model. Implementations are thread-safe. */
public interface GuardClient extends AutoCloseable {

    /**
     * Judges a batch, blocking the calling thread (stream threads only, never an event loop).
     *
     * @return one result per item, in any order, matched by id
     * @throws GuardUnavailableException when the guard could not answer within the configured timeouts
     *                                   and retries, or the circuit breaker is open
     */
    List<GuardResult> judge(List<GuardItem> items);

    @Override
    default void close() {
    }
}
