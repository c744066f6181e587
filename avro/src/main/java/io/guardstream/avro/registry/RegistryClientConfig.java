package io.guardstream.avro.registry;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Connection settings for {@link RestSchemaRegistryClient}. The keys accepted by {@link #fromMap} follow
 * Confluent's serializer settings, so existing Kafka client configs carry over.
 */
public record RegistryClientConfig(
        List<String> urls,
        String basicAuthUserInfo,
        String bearerToken,
        Duration timeout,
        int maxRetries,
        Duration retryBackoff) {

    public static final String URL = "schema.registry.url";
    public static final String BASIC_AUTH_USER_INFO = "basic.auth.user.info";
    public static final String BEARER_AUTH_TOKEN = "bearer.auth.token";
    public static final String TIMEOUT_MS = "schema.registry.request.timeout.ms";
    public static final String MAX_RETRIES = "schema.registry.max.retries";
    public static final String RETRY_BACKOFF_MS = "schema.registry.retry.backoff.ms";

    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);
    public static final int DEFAULT_MAX_RETRIES = 3;
    public static final Duration DEFAULT_RETRY_BACKOFF = Duration.ofMillis(200);

    public RegistryClientConfig {
        Objects.requireNonNull(urls, "urls");
        if (urls.isEmpty()) {
            throw new IllegalArgumentException(URL + " must name at least one registry URL");
        }
        urls = urls.stream().map(u -> u.endsWith("/") ? u.substring(0, u.length() - 1) : u).toList();
    }

    public static RegistryClientConfig of(String url) {
        return new RegistryClientConfig(List.of(url), null, null, DEFAULT_TIMEOUT, DEFAULT_MAX_RETRIES, DEFAULT_RETRY_BACKOFF);
    }

    public static RegistryClientConfig fromMap(Map<String, ?> configs) {
        Object url = configs.get(URL);
        if (url == null || url.toString().isBlank()) {
            throw new IllegalArgumentException("Missing required setting " + URL);
        }
        List<String> urls = Arrays.stream(url.toString().split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
        return new RegistryClientConfig(
                urls,
                string(configs.get(BASIC_AUTH_USER_INFO)),
                string(configs.get(BEARER_AUTH_TOKEN)),
                Duration.ofMillis(number(configs.get(TIMEOUT_MS), DEFAULT_TIMEOUT.toMillis())),
                (int) number(configs.get(MAX_RETRIES), DEFAULT_MAX_RETRIES),
                Duration.ofMillis(number(configs.get(RETRY_BACKOFF_MS), DEFAULT_RETRY_BACKOFF.toMillis())));
    }

    public RegistryClientConfig withBasicAuth(String userInfo) {
        return new RegistryClientConfig(urls, userInfo, bearerToken, timeout, maxRetries, retryBackoff);
    }

    public RegistryClientConfig withBearerToken(String token) {
        return new RegistryClientConfig(urls, basicAuthUserInfo, token, timeout, maxRetries, retryBackoff);
    }

    @Override
    public String toString() {
        return "RegistryClientConfig[urls=" + urls + ", basicAuth=" + (basicAuthUserInfo != null ? "***" : "none")
                + ", bearer=" + (bearerToken != null ? "***" : "none") + ", timeout=" + timeout
                + ", maxRetries=" + maxRetries + "]";
    }

    private static String string(Object value) {
        return value == null || value.toString().isBlank() ? null : value.toString();
    }

    private static long number(Object value, long fallback) {
        return value == null ? fallback : Long.parseLong(value.toString().trim());
    }
}
