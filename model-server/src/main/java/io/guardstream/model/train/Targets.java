package io.guardstream.model.train;

import io.guardstream.model.heads.Categories;

import java.util.List;
import java.util.Set;

/**
 * Labels {@code y} and loss weights {@code w} (0 = unlabelled) of one record for one head: the request head
 * (request harm, then the {@link Categories#TRAINED} categories) or the response head (response harm, refusal).
 */
record Targets(float[] y, float[] w) {

    static final float UNHARMFUL_CATEGORY_WEIGHT = 0.2f;
    static final int REQUEST_OUTPUTS = 1 + Categories.TRAINED.size();
    static final int RESPONSE_OUTPUTS = 2;

    /** Request-head targets, or {@code null} when the prompt is unlabelled or the policy drops the record. */
    static Targets request(GuardRecord r, TrainingSet training) {
        if (r.promptHarmful() == null || (training != null && training.dropped(r))) {
            return null;
        }
        return contentTargets(r.promptHarmful(), r, training != null ? (float) training.promptWeight(r) : 1f);
    }

    /** Request-head targets for {@code r}'s response as content ({@link TrainingSet#contentWeight}), or {@code null}. */
    static Targets responseContent(GuardRecord r, TrainingSet training) {
        double weight = training == null ? 0 : training.contentWeight(r);
        return weight > 0 ? contentTargets(r.responseHarmful(), r, (float) weight) : null;
    }

    private static Targets contentTargets(boolean harmful, GuardRecord r, float base) {
        float[] y = new float[REQUEST_OUTPUTS];
        float[] w = new float[REQUEST_OUTPUTS];
        y[0] = harmful ? 1 : 0;
        w[0] = base;
        if (harmful) {
            Set<String> cats = Categories.map(r.categories());
            if (!cats.isEmpty()) {
                for (int c = 0; c < Categories.TRAINED.size(); c++) {
                    y[c + 1] = cats.contains(Categories.TRAINED.get(c)) ? 1 : 0;
                    w[c + 1] = base;
                }
            }
        } else {
            for (int c = 1; c < REQUEST_OUTPUTS; c++) {
                w[c] = base * UNHARMFUL_CATEGORY_WEIGHT;
            }
        }
        return new Targets(y, w);
    }

    /** Response-head targets, or {@code null} when the record has no labelled response. */
    static Targets response(GuardRecord r, TrainingSet training) {
        if (r.response() == null || (r.responseHarmful() == null && r.refusal() == null)) {
            return null;
        }
        float base = training != null ? (float) training.responseWeight(r) : 1f;
        float[] y = new float[RESPONSE_OUTPUTS];
        float[] w = new float[RESPONSE_OUTPUTS];
        if (r.responseHarmful() != null) {
            y[0] = r.responseHarmful() ? 1 : 0;
            w[0] = base;
        }
        if (r.refusal() != null) {
            y[1] = r.refusal() ? 1 : 0;
            w[1] = base;
        } else if (Boolean.TRUE.equals(r.responseHarmful())) {
            w[1] = base; // a harmful response is compliance
        }
        return new Targets(y, w);
    }

    /** Scales loss weights so positives and negatives of every output weigh the same in total. */
    static void balance(List<float[]> ys, List<float[]> ws) {
        if (ys.isEmpty()) {
            return;
        }
        int k = ys.get(0).length;
        for (int c = 0; c < k; c++) {
            double pos = 0;
            double neg = 0;
            for (int i = 0; i < ys.size(); i++) {
                if (ys.get(i)[c] > 0.5f) {
                    pos += ws.get(i)[c];
                } else {
                    neg += ws.get(i)[c];
                }
            }
            if (pos == 0 || neg == 0) {
                continue;
            }
            double total = pos + neg;
            float sp = (float) (total / (2 * pos));
            float sn = (float) (total / (2 * neg));
            for (int i = 0; i < ys.size(); i++) {
                ws.get(i)[c] *= ys.get(i)[c] > 0.5f ? sp : sn;
            }
        }
    }
}
