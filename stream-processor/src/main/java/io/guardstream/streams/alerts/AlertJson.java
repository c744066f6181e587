package io.guardstream.streams.alerts;

import io.guardstream.avro.Alert;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/** The JSON shape of an alert on the SSE feed and in webhooks. */
public final class AlertJson {

    private AlertJson() {
    }

    public static JsonObject toJson(Alert alert) {
        JsonObject categories = new JsonObject();
        alert.getTopCategories().entrySet().stream()
                .sorted((a, b) -> Long.compare(b.getValue(), a.getValue()))
                .forEach(e -> categories.put(e.getKey(), e.getValue()));
        return new JsonObject()
                .put("alertId", alert.getAlertId())
                .put("tenantId", alert.getTenantId())
                .put("endUserId", alert.getEndUserId())
                .put("kind", alert.getKind().name())
                .put("severity", alert.getSeverity().name())
                .put("windowStart", alert.getWindowStart().toString())
                .put("windowEnd", alert.getWindowEnd().toString())
                .put("count", alert.getCount())
                .put("rate", alert.getRate())
                .put("baselineRate", alert.getBaselineRate())
                .put("topCategories", categories)
                .put("evidenceExchangeIds", new JsonArray(alert.getEvidenceExchangeIds()))
                .put("message", alert.getMessage())
                .put("createdAt", alert.getCreatedAt().toString());
    }
}
