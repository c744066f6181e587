package io.guardstream.model.serve;

import io.guardstream.model.batch.Lane;
import io.guardstream.model.config.ModelServerConfig;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RequestParserTest {

    private final RequestParser parser = new RequestParser(ModelServerConfig.defaults().limits(), true);

    private static JsonObject batch() {
        return new JsonObject().put("items", new JsonArray().add(new JsonObject().put("request", new JsonObject().put("text", "hi"))));
    }

    @Test
    void shouldDefaultToTheInteractiveLane() {
        assertThat(parser.priority(batch())).isEqualTo(Lane.INTERACTIVE);
        assertThat(parser.priority(batch().put("priority", null))).isEqualTo(Lane.INTERACTIVE);
    }

    @Test
    void shouldMapPriorityNamesToLanes() {
        assertThat(parser.priority(batch().put("priority", "interactive"))).isEqualTo(Lane.INTERACTIVE);
        assertThat(parser.priority(batch().put("priority", "background"))).isEqualTo(Lane.BACKGROUND);
    }

    @Test
    void shouldRejectUnknownPrioritiesNamingTheField() {
        for (Object bad : new Object[] {"urgent", "Background", "", 1, true, new JsonObject()}) {
            assertThatThrownBy(() -> parser.priority(batch().put("priority", bad))).as("priority %s", bad)
                    .isInstanceOfSatisfying(ApiException.class, e -> {
                        assertThat(e.status()).isEqualTo(400);
                        assertThat(e.param()).isEqualTo("priority");
                        assertThat(e.code()).isEqualTo("invalid_value");
                    });
        }
    }
}
