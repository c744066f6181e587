package io.guardstream.streams.guard;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.guardstream.guardapi.GuardApiJson;
import io.guardstream.guardapi.GuardItem;
import io.guardstream.guardapi.GuardResult;
import io.guardstream.guardapi.Priority;
import io.guardstream.streams.config.StreamProcessorConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Calls the model server's {@code POST /v1/guard/batch} with a per-attempt timeout, bounded retries with
 * linear backoff for timeouts, connection errors, 429 and 5xx, and a {@link CircuitBreaker} so a guard that is
 * down costs callers nothing while the breaker is open. Each {@link Priority} has its own breaker: background calls
 * may time out while the guard serves interactive ones first, and that must not open the breaker for in-flight checks.
 */
public final class HttpGuardClient implements GuardClient {

    private static final Logger log = LoggerFactory.getLogger(HttpGuardClient.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final URI batchUri;
    private final StreamProcessorConfig.Guard config;
    private final HttpClient http;
    private final Map<Priority, CircuitBreaker> breakers = new EnumMap<>(Priority.class);

    public HttpGuardClient(StreamProcessorConfig.Guard config) {
        this.config = config;
        String base = config.modelUrl().endsWith("/") ? config.modelUrl().substring(0, config.modelUrl().length() - 1) : config.modelUrl();
        this.batchUri = URI.create(base + "/v1/guard/batch");
        this.http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofMillis(config.connectTimeoutMs()))
                .build();
        for (Priority priority : Priority.values()) {
            breakers.put(priority, new CircuitBreaker(config.breakerFailureThreshold(), Duration.ofMillis(config.breakerOpenMs())));
        }
    }

    @Override
    public List<GuardResult> judge(List<GuardItem> items, Priority priority) {
        if (items.isEmpty()) {
            return List.of();
        }
        CircuitBreaker breaker = breakers.get(priority);
        if (!breaker.tryAcquire()) {
            throw new GuardUnavailableException("circuit_open", "Guard circuit breaker is open after repeated failures");
        }
        byte[] body = requestBody(items, priority);
        GuardUnavailableException last = null;
        for (int attempt = 0; attempt <= config.maxRetries(); attempt++) {
            if (attempt > 0) {
                sleep(config.retryBackoffMs() * attempt);
            }
            try {
                List<GuardResult> results = send(body);
                breaker.onSuccess();
                return results;
            } catch (GuardUnavailableException e) {
                last = e;
                if (!retryable(e)) {
                    // the guard answered, so it is up: a refused request must not open the breaker
                    breaker.onSuccess();
                    throw e;
                }
                log.debug("Guard call attempt {} failed: {}", attempt + 1, e.getMessage());
            }
        }
        breaker.onFailure();
        throw last;
    }

    /** State of the interactive calls' breaker. */
    public CircuitBreaker.State breakerState() {
        return breakerState(Priority.INTERACTIVE);
    }

    public CircuitBreaker.State breakerState(Priority priority) {
        return breakers.get(priority).state();
    }

    private List<GuardResult> send(byte[] body) {
        HttpRequest request = HttpRequest.newBuilder(batchUri)
                .timeout(config.requestTimeout())
                .header("content-type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                .build();
        HttpResponse<byte[]> response;
        try {
            response = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
        } catch (HttpTimeoutException e) {
            throw new GuardUnavailableException("timeout", "Guard did not answer within " + config.requestTimeoutMs() + " ms", e);
        } catch (ConnectException e) {
            throw new GuardUnavailableException("unreachable", "Guard unreachable at " + batchUri + ": " + e.getMessage(), e);
        } catch (IOException e) {
            throw new GuardUnavailableException("unreachable", "Guard call to " + batchUri + " failed: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new GuardUnavailableException("interrupted", "Interrupted while calling the guard", e);
        }
        if (response.statusCode() != 200) {
            throw new GuardUnavailableException("http_" + response.statusCode(),
                    "Guard answered HTTP " + response.statusCode() + " from " + batchUri);
        }
        try {
            return parseResults(JSON.readTree(response.body()));
        } catch (IOException | RuntimeException e) {
            throw new GuardUnavailableException("bad_response", "Guard answer is not a valid batch result: " + e.getMessage(), e);
        }
    }

    private static boolean retryable(GuardUnavailableException e) {
        String reason = e.reason();
        return reason.equals("timeout") || reason.equals("unreachable") || reason.equals("http_429") || reason.startsWith("http_5");
    }

    static byte[] requestBody(List<GuardItem> items, Priority priority) {
        return GuardApiJson.requestBody(items, priority);
    }

    static List<GuardResult> parseResults(JsonNode root) {
        return GuardApiJson.parseResults(root);
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new GuardUnavailableException("interrupted", "Interrupted while backing off", e);
        }
    }

}
