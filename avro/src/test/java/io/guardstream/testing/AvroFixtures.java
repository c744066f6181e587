package io.guardstream.testing;

import java.nio.ByteBuffer;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.guardstream.avro.Alert;
import io.guardstream.avro.AlertKind;
import io.guardstream.avro.ChatMessage;
import io.guardstream.avro.CheckKind;
import io.guardstream.avro.ContentPart;
import io.guardstream.avro.ContentPartType;
import io.guardstream.avro.EnforcementAction;
import io.guardstream.avro.EnforcementRecord;
import io.guardstream.avro.ErrorInfo;
import io.guardstream.avro.Exchange;
import io.guardstream.avro.GuardCheck;
import io.guardstream.avro.GuardVerdict;
import io.guardstream.avro.ImageRef;
import io.guardstream.avro.ImageSource;
import io.guardstream.avro.LabelScore;
import io.guardstream.avro.Severity;
import io.guardstream.avro.Timings;
import io.guardstream.avro.Usage;
import io.guardstream.avro.VerdictSource;

/** Fully populated sample records, so round-trip tests exercise every field and union branch. */
public final class AvroFixtures {

    private static final Instant NOW = Instant.parse("2026-11-24T10:15:30.123Z");

    private AvroFixtures() {
    }

    public static List<ChatMessage> messages() {
        ImageRef image = ImageRef.newBuilder()
                .setSha256("9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08")
                .setMime("image/png").setSizeBytes(2048).setSource(ImageSource.DATA_URI)
                .setDetail("low").setWidth(64).setHeight(32)
                .setInlineBytes(ByteBuffer.wrap(new byte[] {(byte) 0x89, 'P', 'N', 'G'}))
                .build();
        return List.of(
                ChatMessage.newBuilder().setRole("system").setParts(List.of(text("You are helpful."))).build(),
                ChatMessage.newBuilder().setRole("user").setName("alice")
                        .setParts(List.of(text("What is in this picture?"),
                                ContentPart.newBuilder().setType(ContentPartType.IMAGE).setImage(image).build()))
                        .build());
    }

    public static Exchange exchange(String exchangeId) {
        return Exchange.newBuilder()
                .setExchangeId(exchangeId)
                .setTenantId("acme").setKeyId("k-1a2b3c4d").setEndUserId("user-42")
                .setGatewayInstance("gw-0").setModel("llava-1.6").setUpstream("http://127.0.0.1:8000/v1")
                .setStream(true)
                .setTimings(Timings.newBuilder().setReceivedAt(NOW)
                        .setUpstreamFirstByteAt(NOW.plusMillis(120)).setCompletedAt(NOW.plusMillis(900)).build())
                .setRequestMessages(messages())
                .setResponseText("A cat sitting on a keyboard.")
                .setFinishReason("stop")
                .setUsage(Usage.newBuilder().setPromptTokens(85).setCompletionTokens(9).setTotalTokens(94).build())
                .setHttpStatus(200)
                .setError(null)
                .setEnforcement(EnforcementRecord.newBuilder().setPolicy("default")
                        .setRequestMode("sync").setResponseMode("hold_back").setTransport("kafka")
                        .setAction(EnforcementAction.FLAG).setVerdictIds(List.of("v-1", "v-2"))
                        .setFailOpenBypass(false).build())
                .build();
    }

    public static Exchange failedExchange(String exchangeId) {
        Exchange exchange = exchange(exchangeId);
        exchange.setHttpStatus(502);
        exchange.setResponseText(null);
        exchange.setError(ErrorInfo.newBuilder().setType("upstream_error").setCode("upstream_unreachable")
                .setMessage("Upstream unreachable").build());
        return exchange;
    }

    public static GuardCheck check(String checkId) {
        return GuardCheck.newBuilder()
                .setCheckId(checkId).setExchangeId("ex-" + checkId).setTenantId("acme").setEndUserId("user-42")
                .setPolicy("default").setKind(CheckKind.RESPONSE_WINDOW).setRequestMessages(messages())
                .setResponseText("window text").setWindowIndex(3).setWindowStart(1536).setReplyPartition(2)
                .setCreatedAt(NOW).setDeadlineAt(NOW.plusMillis(500)).setReasoning(false)
                .build();
    }

    public static GuardVerdict verdict(String verdictId) {
        return GuardVerdict.newBuilder()
                .setVerdictId(verdictId).setCheckId("c-" + verdictId).setExchangeId("ex-1").setTenantId("acme")
                .setEndUserId("user-42").setSource(VerdictSource.IN_FLIGHT).setCheckKind(CheckKind.REQUEST)
                .setWindowIndex(null).setModel("guardstream-minilm-v1")
                .setRequest(new LabelScore("harmful", 0.97)).setResponse(new LabelScore("unharmful", 0.12))
                .setRefusal(new LabelScore("refusal", 0.88))
                .setCategories(Map.of("violence", 0.91, "illicit", 0.4))
                .setReasoning(List.of("1. The request asks for weapon instructions (violence 0.91).", "Request: harmful", "Response: unharmful"))
                .setLatencyMs(4.25).setError(null).setCreatedAt(NOW)
                .build();
    }

    public static Alert alert(String alertId) {
        Instant windowStart = NOW.truncatedTo(ChronoUnit.MINUTES);
        return Alert.newBuilder()
                .setAlertId(alertId).setTenantId("acme").setEndUserId("user-42")
                .setKind(AlertKind.HARMFUL_BURST).setSeverity(Severity.CRITICAL)
                .setWindowStart(windowStart).setWindowEnd(windowStart.plusSeconds(300))
                .setCount(6).setRate(0.6).setBaselineRate(0.05)
                .setTopCategories(Map.of("violence", 4L, "hate", 2L))
                .setEvidenceExchangeIds(List.of("ex-1", "ex-2"))
                .setMessage("6 harmful requests from user-42 in 5 minutes").setCreatedAt(NOW)
                .build();
    }

    public static String uniqueTopic(String base) {
        return base + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    private static ContentPart text(String text) {
        return ContentPart.newBuilder().setType(ContentPartType.TEXT).setText(text).build();
    }
}
