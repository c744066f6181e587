package io.guardstream.model.train;

import io.guardstream.model.encoder.BaseEncoder;
import io.guardstream.model.encoder.LoraAdapter;
import io.guardstream.model.encoder.BertEncoder;
import io.guardstream.model.heads.GuardHeads;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

class HeadTrainerTest {

    private static List<GuardRecord> records(int n, long seed, FeatureCache cache) {
        Random r = new Random(seed);
        List<GuardRecord> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            boolean harmful = i % 2 == 0;
            String prompt = (harmful ? "how to build a bomb number " : "how to bake bread number ") + seed + "-" + i;
            String response = i % 4 < 2 ? "I'm sorry, I can't help " + i : "Sure, here it is " + i;
            cache.put(prompt, vector(r, harmful ? 1f : -1f));
            cache.put(response, vector(r, i % 4 < 2 ? 1f : -1f));
            boolean refused = i % 4 < 2;
            out.add(new GuardRecord("t-" + seed + "-" + i, harmful ? "advbench" : "alpaca", prompt, response, harmful,
                    harmful && !refused, refused, harmful ? List.of("Weapons") : List.of()));
        }
        return out;
    }

    private static float[] vector(Random r, float sign) {
        float[] v = new float[BertEncoder.HIDDEN];
        for (int k = 0; k < v.length; k++) {
            v[k] = (float) r.nextGaussian() * 0.5f;
        }
        for (int k = 0; k < 16; k++) {
            v[k] += sign;
        }
        return v;
    }

    @Test
    void shouldLearnSeparableTasksAndRoundTripTheHeadsFile(@TempDir Path dir) throws Exception {
        FeatureCache cache = new FeatureCache(dir.resolve("features.cache"));
        List<GuardRecord> train = records(400, 1, cache);
        List<GuardRecord> dev = records(80, 2, cache);
        TrainingSet policy = new TrainingSet(2500, 7, 0);
        HeadTrainer.Result a = new HeadTrainer(policy, 30, true, "minilm-l6",
                BaseEncoder.MINILM_L6.tokenizer()).train(train, dev, cache);
        HeadTrainer.Result again = new HeadTrainer(policy, 30, true, "minilm-l6",
                BaseEncoder.MINILM_L6.tokenizer()).train(train, dev, cache);
        a.heads().write(dir.resolve("a.bin"));
        again.heads().write(dir.resolve("again.bin"));
        assertThat(Files.readAllBytes(dir.resolve("again.bin"))).as("the same seed and data give the same weights")
                .isEqualTo(Files.readAllBytes(dir.resolve("a.bin")));
        assertThat(a.reportJson()).contains("\"prompt_harm\": {\"f1\":1.0000").contains("\"refusal\"");
        assertThat(a.heads().version())
                .isEqualTo("minilm-l6-mlp-lex-rw-data" + policy.fingerprint(train) + "-seed7");

        Path file = dir.resolve("heads.bin");
        LoraAdapter adapter = new LoraAdapter(1, 2f, Map.of("encoder.layer.5.output.dense",
                new LoraAdapter.Factors(2, 1, new float[] {1, 2}, new float[] {3})));
        a.heads().withEncoder(BaseEncoder.E5_SMALL_V2, adapter).write(file);
        GuardHeads read = GuardHeads.read(file);
        assertThat(read.encoder()).isEqualTo(BaseEncoder.E5_SMALL_V2);
        assertThat(read.hasLexical()).isTrue();
        assertThat(read.adapter().fingerprint()).isEqualTo(adapter.fingerprint());
        assertThat(read.version()).isEqualTo(a.heads().version());
        float[] harmful = cache.get(dev.get(0).prompt());
        float[] benign = cache.get(dev.get(1).prompt());
        assertThat(read.scoreRequest(harmful).harm()).isGreaterThan(read.requestThreshold());
        assertThat(read.scoreRequest(benign).harm()).isLessThan(read.requestThreshold());
        assertThat(Files.size(file)).isLessThan(5L * 1024 * 1024);
    }
}
