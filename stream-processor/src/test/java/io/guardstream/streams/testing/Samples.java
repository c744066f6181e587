package io.guardstream.streams.testing;

import java.time.Instant;
import java.util.List;

import io.guardstream.avro.ChatMessage;
import io.guardstream.avro.CheckKind;
import io.guardstream.avro.ContentPart;
import io.guardstream.avro.ContentPartType;
import io.guardstream.avro.EnforcementAction;
import io.guardstream.avro.EnforcementRecord;
import io.guardstream.avro.Exchange;
import io.guardstream.avro.GuardCheck;
import io.guardstream.avro.Timings;

/** Small records as a gateway would publish them. */
public final class Samples {

    private Samples() {
    }

    public static List<ChatMessage> userSays(String text) {
        return List.of(ChatMessage.newBuilder().setRole("user")
                .setParts(List.of(ContentPart.newBuilder().setType(ContentPartType.TEXT).setText(text).build())).build());
    }

    public static GuardCheck requestCheck(String checkId, String text, Instant createdAt) {
        return GuardCheck.newBuilder()
                .setCheckId(checkId).setExchangeId("ex-" + checkId).setTenantId("acme").setEndUserId("user-1")
                .setKind(CheckKind.REQUEST).setRequestMessages(userSays(text))
                .setCreatedAt(createdAt).setDeadlineAt(createdAt.plusSeconds(30))
                .build();
    }

    public static Exchange exchange(String id, String tenant, String user, String prompt, String answer, Instant at) {
        return Exchange.newBuilder()
                .setExchangeId(id).setTenantId(tenant).setEndUserId(user).setModel("demo")
                .setTimings(Timings.newBuilder().setReceivedAt(at).setCompletedAt(at.plusMillis(50)).build())
                .setRequestMessages(userSays(prompt)).setResponseText(answer).setFinishReason("stop")
                .setHttpStatus(200)
                .build();
    }

    public static Exchange enforced(Exchange exchange, EnforcementAction action, List<String> verdictIds) {
        exchange.setEnforcement(EnforcementRecord.newBuilder().setPolicy("default").setRequestMode("sync")
                .setResponseMode("hold_back").setTransport("kafka").setAction(action).setVerdictIds(verdictIds).build());
        return exchange;
    }
}
