package io.guardstream.avro.registry;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.avro.Schema;

/**
 * Schema Registry client over the Confluent REST API. Blocking: call it from worker threads, or let the
 * caching serde call it once per schema. Retries connection failures and 5xx answers with backoff;
 * 4xx answers map to {@link SchemaRegistryException} at once.
 */
public final class RestSchemaRegistryClient implements SchemaRegistryClient {

    static final String CONTENT_TYPE = "application/vnd.schemaregistry.v1+json";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final RegistryClientConfig config;
    private final HttpClient http;
    private final String authorization;

    public RestSchemaRegistryClient(RegistryClientConfig config) {
        this.config = config;
        this.http = HttpClient.newBuilder().connectTimeout(config.timeout()).build();
        this.authorization = authorizationHeader(config);
    }

    @Override
    public int register(String subject, Schema schema) {
        return send("POST", "/subjects/" + encode(subject) + "/versions", schemaBody(schema)).path("id").asInt();
    }

    @Override
    public RegisteredSchema lookup(String subject, Schema schema) {
        JsonNode node = send("POST", "/subjects/" + encode(subject), schemaBody(schema));
        return new RegisteredSchema(subject, node.path("id").asInt(), node.path("version").asInt(), schema);
    }

    @Override
    public Schema schemaById(int id) {
        return parse(send("GET", "/schemas/ids/" + id, null).path("schema").asText());
    }

    @Override
    public RegisteredSchema latest(String subject) {
        JsonNode node = send("GET", "/subjects/" + encode(subject) + "/versions/latest", null);
        return new RegisteredSchema(node.path("subject").asText(subject), node.path("id").asInt(),
                node.path("version").asInt(), parse(node.path("schema").asText()));
    }

    @Override
    public boolean isCompatible(String subject, Schema schema) {
        return send("POST", "/compatibility/subjects/" + encode(subject) + "/versions/latest", schemaBody(schema))
                .path("is_compatible").asBoolean();
    }

    @Override
    public CompatibilityLevel compatibility(String subject) {
        JsonNode node = send("GET", "/config/" + encode(subject) + "?defaultToGlobal=true", null);
        return CompatibilityLevel.parse(node.path("compatibilityLevel").asText(node.path("compatibility").asText()));
    }

    @Override
    public void setCompatibility(String subject, CompatibilityLevel level) {
        ObjectNode body = JSON.createObjectNode().put("compatibility", level.name());
        send("PUT", "/config/" + encode(subject), body.toString());
    }

    @Override
    public List<String> subjects() {
        List<String> subjects = new ArrayList<>();
        send("GET", "/subjects", null).forEach(n -> subjects.add(n.asText()));
        return subjects;
    }

    private JsonNode send(String method, String path, String body) {
        SchemaRegistryException lastFailure = null;
        for (int attempt = 0; attempt <= config.maxRetries(); attempt++) {
            if (attempt > 0) {
                sleep(config.retryBackoff().toMillis() * (1L << Math.min(attempt - 1, 6)));
            }
            String baseUrl = config.urls().get(attempt % config.urls().size());
            try {
                HttpResponse<String> response = http.send(request(method, baseUrl + path, body),
                        HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
                if (response.statusCode() / 100 == 2) {
                    return JSON.readTree(response.body());
                }
                SchemaRegistryException error = errorFrom(response);
                if (response.statusCode() < 500) {
                    throw error;
                }
                lastFailure = error;
            } catch (IOException e) {
                lastFailure = new SchemaRegistryException(
                        "Schema registry " + baseUrl + " unreachable for " + method + " " + path + ": " + e.getMessage(), e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new SchemaRegistryException("Interrupted while calling the schema registry", e);
            }
        }
        throw lastFailure;
    }

    private HttpRequest request(String method, String url, String body) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(url))
                .timeout(config.timeout())
                .header("Accept", CONTENT_TYPE + ", application/json")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
        if (body != null) {
            builder.header("Content-Type", CONTENT_TYPE);
        }
        if (authorization != null) {
            builder.header("Authorization", authorization);
        }
        return builder.build();
    }

    private static SchemaRegistryException errorFrom(HttpResponse<String> response) {
        int status = response.statusCode();
        try {
            JsonNode node = JSON.readTree(response.body());
            return SchemaRegistryException.of(status, node.path("error_code").asInt(status),
                    node.path("message").asText("Schema registry error"));
        } catch (IOException | RuntimeException e) {
            return SchemaRegistryException.of(status, status, "Schema registry answered HTTP " + status);
        }
    }

    private static String schemaBody(Schema schema) {
        return JSON.createObjectNode().put("schema", schema.toString()).put("schemaType", "AVRO").toString();
    }

    private static Schema parse(String schemaText) {
        return new Schema.Parser().parse(schemaText);
    }

    private static String encode(String subject) {
        return URLEncoder.encode(subject, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private static String authorizationHeader(RegistryClientConfig config) {
        if (config.bearerToken() != null) {
            return "Bearer " + config.bearerToken();
        }
        if (config.basicAuthUserInfo() != null) {
            return "Basic " + Base64.getEncoder().encodeToString(config.basicAuthUserInfo().getBytes(StandardCharsets.UTF_8));
        }
        return null;
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SchemaRegistryException("Interrupted while retrying the schema registry", e);
        }
    }
}
