package io.guardstream.gateway.policy;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Arrays;
import java.util.Locale;

/** The enumerations a policy is made of, spelled in YAML as in ARCHITECTURE.md ({@code hold_back}, {@code fail_open}). */
public final class Modes {

  private Modes() {
  }

  /** When the request is judged relative to the upstream call. */
  public enum RequestMode {
    SYNC, PARALLEL, AUDIT;

    @JsonCreator
    public static RequestMode parse(String value) {
      return Modes.parse(RequestMode.class, value);
    }

    @JsonValue
    public String yaml() {
      return Modes.yaml(this);
    }
  }

  /** When the answer is judged relative to its delivery. */
  public enum ResponseMode {
    SYNC, HOLD_BACK, STREAM_FIRST, AUDIT;

    @JsonCreator
    public static ResponseMode parse(String value) {
      return Modes.parse(ResponseMode.class, value);
    }

    @JsonValue
    public String yaml() {
      return Modes.yaml(this);
    }

    /** Non-streamed answers have no windows to release early: they are judged whole. */
    public ResponseMode forNonStreaming() {
      return this == HOLD_BACK || this == STREAM_FIRST ? SYNC : this;
    }
  }

  /** What happens to unsafe content, strongest first. */
  public enum Action {
    BLOCK, REDACT, FLAG;

    @JsonCreator
    public static Action parse(String value) {
      return Modes.parse(Action.class, value);
    }

    @JsonValue
    public String yaml() {
      return Modes.yaml(this);
    }

    public boolean strongerThan(Action other) {
      return other == null || ordinal() < other.ordinal();
    }
  }

  /** What happens when the guard fails or is slower than the policy's timeout. */
  public enum FailureMode {
    FAIL_CLOSED, FAIL_OPEN;

    @JsonCreator
    public static FailureMode parse(String value) {
      return Modes.parse(FailureMode.class, value);
    }

    @JsonValue
    public String yaml() {
      return Modes.yaml(this);
    }
  }

  /** How checks reach the guard. */
  public enum Transport {
    KAFKA, DIRECT;

    @JsonCreator
    public static Transport parse(String value) {
      return Modes.parse(Transport.class, value);
    }

    @JsonValue
    public String yaml() {
      return Modes.yaml(this);
    }
  }

  static <E extends Enum<E>> E parse(Class<E> type, String value) {
    String wanted = value == null ? "" : value.trim().replace('-', '_').toUpperCase(Locale.ROOT);
    for (E constant : type.getEnumConstants()) {
      if (constant.name().equals(wanted)) {
        return constant;
      }
    }
    throw new IllegalArgumentException("'" + value + "' is not one of "
        + Arrays.stream(type.getEnumConstants()).map(Modes::yaml).toList());
  }

  static String yaml(Enum<?> constant) {
    return constant.name().toLowerCase(Locale.ROOT);
  }
}
