package io.guardstream.model;

import io.guardstream.model.encoder.BaseEncoder;
import io.guardstream.model.encoder.BertEncoder;
import io.guardstream.model.encoder.Precision;
import io.guardstream.model.heads.Categories;
import io.guardstream.model.heads.GuardHeads;
import io.guardstream.model.heads.Mlp;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * The response verdict weighs the response head's content harm by its refusal output: heads whose outputs are fixed
 * (zero weights, biases set) show the arithmetic whatever the encoder makes of the text.
 */
@Tag("model")
class GuardModelResponseVerdictTest {

    private static final float RESPONSE_THRESHOLD = 0.4f;

    static BertEncoder encoder;

    @BeforeAll
    static void load() throws Exception {
        encoder = BertEncoder.load(BaseEncoder.MINILM_L6, 1, 1, "cpu", Precision.FP32, null);
    }

    @AfterAll
    static void close() {
        encoder.close();
    }

    @Test
    void shouldNotCallARefusalHarmfulWhateverItsContentScore() {
        GuardResult r = judge(0.9f, 0.9f);
        assertThat(r.response().label()).isEqualTo("unharmful");
        assertThat(r.response().score()).isCloseTo(0.09f, within(1e-4f));
        assertThat(r.refusal().label()).isEqualTo("refusal");
        assertThat(r.reasoning()).contains("content harm score is 0.90")
                .contains("0.90 x (1 - 0.90) = 0.09 against a threshold of 0.40").endsWith("Response: unharmful");
    }

    @Test
    void shouldFlagHarmfulContentTheAssistantProvided() {
        GuardResult r = judge(0.9f, 0.1f);
        assertThat(r.response().label()).isEqualTo("harmful");
        assertThat(r.response().score()).isCloseTo(0.81f, within(1e-4f));
        assertThat(r.refusal().label()).isEqualTo("compliance");
        assertThat(r.reasoning()).contains("0.90 x (1 - 0.10) = 0.81").endsWith("Response: harmful");
    }

    private static GuardResult judge(float contentHarm, float refusal) {
        int trained = Categories.TRAINED.size();
        GuardHeads heads = new GuardHeads(constant(BertEncoder.HIDDEN, new float[1 + trained]),
                constant(GuardHeads.RESPONSE_INPUT, new float[] {logit(contentHarm), logit(refusal)}),
                0.5f, RESPONSE_THRESHOLD, 0.5f, new float[trained], "fixed-outputs");
        // not closed: closing a model closes its encoder, which the tests share (closed in close())
        GuardModel model = new GuardModel(encoder, heads, 128, 32, 32, 0);
        return model.check(List.of(new GuardItem("a", new GuardItem.Request("How do I pick a lock?", List.of()),
                new GuardItem.Response("I can't help with that."), true))).get(0);
    }

    /** A head whose outputs are {@code sigmoid(logits)} for every input. */
    private static Mlp constant(int in, float[] logits) {
        return new Mlp(in, 1, logits.length, new float[in], new float[1], new float[logits.length], logits);
    }

    private static float logit(float p) {
        return (float) Math.log(p / (1 - p));
    }
}
