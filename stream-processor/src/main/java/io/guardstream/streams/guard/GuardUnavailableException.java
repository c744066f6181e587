package io.guardstream.streams.guard;

/** The guard gave no usable answer: down, too slow, refusing, or the circuit breaker is open. */
public class GuardUnavailableException extends RuntimeException {

    private final String reason;

    public GuardUnavailableException(String reason, String message, Throwable cause) {
        super(message, cause);
        this.reason = reason;
    }

    public GuardUnavailableException(String reason, String message) {
        this(reason, message, null);
    }

    /** Short machine-readable reason: {@code timeout}, {@code unreachable}, {@code http_<status>}, {@code circuit_open}, {@code bad_response}. */
    public String reason() {
        return reason;
    }
}
