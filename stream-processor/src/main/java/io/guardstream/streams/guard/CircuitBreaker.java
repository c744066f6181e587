package io.guardstream.streams.guard;

import java.time.Clock;
import java.time.Duration;

/**
 * Consecutive-failure circuit breaker: after {@code failureThreshold} failures in a row it opens and refuses
 * calls for {@code openFor}; then one trial call is let through (half-open), whose outcome closes or reopens it.
 */
public final class CircuitBreaker {

    public enum State { CLOSED, OPEN, HALF_OPEN }

    private final int failureThreshold;
    private final Duration openFor;
    private final Clock clock;
    private State state = State.CLOSED;
    private int consecutiveFailures;
    private long openedAtMillis;
    private boolean trialInFlight;

    public CircuitBreaker(int failureThreshold, Duration openFor, Clock clock) {
        this.failureThreshold = failureThreshold;
        this.openFor = openFor;
        this.clock = clock;
    }

    public CircuitBreaker(int failureThreshold, Duration openFor) {
        this(failureThreshold, openFor, Clock.systemUTC());
    }

    /** Whether a call may go out now; in half-open state only one caller gets true until it reports. */
    public synchronized boolean tryAcquire() {
        if (state == State.OPEN && clock.millis() - openedAtMillis >= openFor.toMillis()) {
            state = State.HALF_OPEN;
            trialInFlight = false;
        }
        return switch (state) {
            case CLOSED -> true;
            case OPEN -> false;
            case HALF_OPEN -> {
                if (trialInFlight) {
                    yield false;
                }
                trialInFlight = true;
                yield true;
            }
        };
    }

    public synchronized void onSuccess() {
        consecutiveFailures = 0;
        trialInFlight = false;
        state = State.CLOSED;
    }

    public synchronized void onFailure() {
        consecutiveFailures++;
        trialInFlight = false;
        if (state == State.HALF_OPEN || consecutiveFailures >= failureThreshold) {
            state = State.OPEN;
            openedAtMillis = clock.millis();
        }
    }

    public synchronized State state() {
        return state;
    }
}
