package io.guardstream.guardapi;

import java.time.Instant;
import java.util.Arrays;
import java.util.List;

import io.guardstream.avro.CheckKind;
import io.guardstream.avro.GuardVerdict;
import io.guardstream.avro.LabelScore;
import io.guardstream.avro.VerdictSource;

/** Builds {@link GuardVerdict}s from guard results or failures. */
public final class VerdictFactory {

    /** Model id put on verdicts the guard never decided. */
    public static final String NO_MODEL = "none";

    private VerdictFactory() {
    }

    /** Identity of what a verdict is about. */
    public record Subject(String verdictId, String checkId, String exchangeId, String tenantId, String endUserId,
                          VerdictSource source, CheckKind checkKind, Integer windowIndex) {
    }

    public static GuardVerdict fromResult(Subject subject, GuardResult result, Instant now) {
        return base(subject, now)
                .setModel(result.model())
                .setRequest(label(result.request()))
                .setResponse(label(result.response()))
                .setRefusal(label(result.refusal()))
                .setCategories(result.categories())
                .setReasoning(steps(result.reasoning()))
                .setLatencyMs(result.latencyMs())
                .setError(null)
                .build();
    }

    /** A verdict without decision: labels null, {@code error} set, so the gateway's fail-open/closed policy applies. */
    public static GuardVerdict error(Subject subject, String error, double latencyMs, Instant now) {
        return base(subject, now)
                .setModel(NO_MODEL)
                .setLatencyMs(latencyMs)
                .setError(error)
                .build();
    }

    private static GuardVerdict.Builder base(Subject s, Instant now) {
        return GuardVerdict.newBuilder()
                .setVerdictId(s.verdictId())
                .setCheckId(s.checkId())
                .setExchangeId(s.exchangeId())
                .setTenantId(s.tenantId())
                .setEndUserId(s.endUserId())
                .setSource(s.source())
                .setCheckKind(s.checkKind())
                .setWindowIndex(s.windowIndex())
                .setCreatedAt(now);
    }

    private static LabelScore label(GuardResult.Label label) {
        return label == null ? null : new LabelScore(label.label(), label.score());
    }

    static List<String> steps(String reasoning) {
        return Arrays.stream(reasoning.split("\\R")).map(String::strip).filter(s -> !s.isEmpty()).toList();
    }
}
