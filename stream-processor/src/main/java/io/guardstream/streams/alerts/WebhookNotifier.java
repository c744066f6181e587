package io.guardstream.streams.alerts;

import java.util.concurrent.atomic.AtomicLong;

import io.guardstream.avro.Alert;
import io.guardstream.avro.Severity;
import io.guardstream.streams.config.StreamProcessorConfig;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Posts alerts to the tenant's webhook as Slack-compatible JSON ({@code text} plus {@code attachments}, with the
 * full alert under {@code guardstream}), retrying timeouts, 429 and 5xx with exponential backoff.
 */
public final class WebhookNotifier implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(WebhookNotifier.class);

    private final Vertx vertx;
    private final StreamProcessorConfig.Webhooks config;
    private final WebClient client;
    private final AtomicLong delivered = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();

    public WebhookNotifier(Vertx vertx, StreamProcessorConfig.Webhooks config) {
        this.vertx = vertx;
        this.config = config;
        this.client = WebClient.create(vertx, new WebClientOptions().setConnectTimeout((int) config.timeoutMs())
                .setUserAgent("guardstream-webhooks"));
    }

    /** Sends the alert to its tenant's URL; completes when delivered, fails after the last retry. No URL: succeeds at once. */
    public Future<Void> notify(Alert alert) {
        String url = config.urlFor(alert.getTenantId());
        if (url == null) {
            return Future.succeededFuture();
        }
        Promise<Void> done = Promise.promise();
        attempt(url, payload(alert), alert.getAlertId(), 0, done);
        return done.future().onSuccess(v -> delivered.incrementAndGet()).onFailure(e -> failed.incrementAndGet());
    }

    private void attempt(String url, JsonObject body, String alertId, int attempt, Promise<Void> done) {
        client.postAbs(url).timeout(config.timeoutMs()).putHeader("content-type", "application/json")
                .sendJsonObject(body)
                .onComplete(ar -> {
                    int status = ar.succeeded() ? ar.result().statusCode() : -1;
                    if (status >= 200 && status < 300) {
                        done.complete();
                        return;
                    }
                    boolean retryable = status == -1 || status == 429 || status >= 500;
                    String why = ar.succeeded() ? "HTTP " + status : String.valueOf(ar.cause());
                    if (!retryable || attempt >= config.maxRetries()) {
                        log.warn("Webhook for alert {} failed after {} attempt(s): {}", alertId, attempt + 1, why);
                        done.fail("webhook delivery failed: " + why);
                        return;
                    }
                    long delay = config.backoffMs() * (1L << Math.min(attempt, 10));
                    log.debug("Webhook for alert {} failed ({}); retrying in {} ms", alertId, why, delay);
                    vertx.setTimer(delay, t -> attempt(url, body, alertId, attempt + 1, done));
                });
    }

    static JsonObject payload(Alert alert) {
        String emoji = alert.getSeverity() == Severity.CRITICAL ? ":rotating_light:" : ":warning:";
        String text = emoji + " *GuardStream " + alert.getKind() + "* (" + alert.getSeverity() + ") tenant `" + alert.getTenantId()
                + "`" + (alert.getEndUserId() != null ? ", end user `" + alert.getEndUserId() + "`" : "") + ": " + alert.getMessage();
        JsonArray fields = new JsonArray()
                .add(field("Window", alert.getWindowStart() + " .. " + alert.getWindowEnd(), false))
                .add(field("Count", String.valueOf(alert.getCount()), true));
        if (alert.getRate() != null) {
            fields.add(field("Rate", String.format("%.1f%%", 100 * alert.getRate()), true));
        }
        if (!alert.getTopCategories().isEmpty()) {
            fields.add(field("Categories", alert.getTopCategories().toString(), false));
        }
        if (!alert.getEvidenceExchangeIds().isEmpty()) {
            fields.add(field("Evidence", String.join(", ", alert.getEvidenceExchangeIds()), false));
        }
        JsonObject attachment = new JsonObject()
                .put("color", alert.getSeverity() == Severity.CRITICAL ? "#d00000" : "#f2c744")
                .put("fallback", text)
                .put("fields", fields);
        return new JsonObject()
                .put("text", text)
                .put("attachments", new JsonArray().add(attachment))
                .put("guardstream", AlertJson.toJson(alert));
    }

    private static JsonObject field(String title, String value, boolean isShort) {
        return new JsonObject().put("title", title).put("value", value).put("short", isShort);
    }

    public long delivered() {
        return delivered.get();
    }

    public long failed() {
        return failed.get();
    }

    @Override
    public void close() {
        client.close();
    }
}
