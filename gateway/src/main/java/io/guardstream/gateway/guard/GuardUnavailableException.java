package io.guardstream.gateway.guard;

/** No verdict could be had in time: the policy's fail-open or fail-closed rule decides what happens. */
public final class GuardUnavailableException extends RuntimeException {

  /** Why, as recorded on the exchange's {@code bypassReason}. */
  public enum Reason {
    TIMEOUT, TRANSPORT_ERROR, GUARD_ERROR
  }

  private final Reason reason;

  public GuardUnavailableException(Reason reason, String message) {
    super(message, null, false, false);
    this.reason = reason;
  }

  public Reason reason() {
    return reason;
  }
}
