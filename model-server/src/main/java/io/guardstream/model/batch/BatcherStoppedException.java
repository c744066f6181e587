package io.guardstream.model.batch;

/** The batcher was stopped before the item ran. */
public final class BatcherStoppedException extends RuntimeException {

    public BatcherStoppedException(String message) {
        super(message, null, false, false);
    }
}
