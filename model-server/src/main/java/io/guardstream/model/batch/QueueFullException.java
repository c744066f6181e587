package io.guardstream.model.batch;

/** The batcher's queue has no room; callers should answer 503 with {@code Retry-After}. */
public final class QueueFullException extends RuntimeException {

    private final int retryAfterSeconds;

    public QueueFullException(String message, int retryAfterSeconds) {
        super(message, null, false, false);
        this.retryAfterSeconds = retryAfterSeconds;
    }

    public int retryAfterSeconds() {
        return retryAfterSeconds;
    }
}
