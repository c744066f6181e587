package io.guardstream.model.eval;

/** Confusion counts of a binary task with the harmful (or refusal) class as positive. */
public final class BinaryMetrics {

    private long tp;
    private long fp;
    private long tn;
    private long fn;

    public void add(boolean actual, boolean predicted) {
        if (actual) {
            if (predicted) {
                tp++;
            } else {
                fn++;
            }
        } else if (predicted) {
            fp++;
        } else {
            tn++;
        }
    }

    public long tp() {
        return tp;
    }

    public long fp() {
        return fp;
    }

    public long tn() {
        return tn;
    }

    public long fn() {
        return fn;
    }

    public long total() {
        return tp + fp + tn + fn;
    }

    public double precision() {
        return tp + fp == 0 ? 0 : (double) tp / (tp + fp);
    }

    public double recall() {
        return tp + fn == 0 ? 0 : (double) tp / (tp + fn);
    }

    public double f1() {
        double p = precision();
        double r = recall();
        return p + r == 0 ? 0 : 2 * p * r / (p + r);
    }

    /** Share of actual negatives predicted positive. */
    public double falsePositiveRate() {
        return fp + tn == 0 ? 0 : (double) fp / (fp + tn);
    }

    /** Threshold in {@code [0.05, 0.95]} maximizing F1 of {@code scores} against {@code labels}. */
    public static float bestF1Threshold(float[] scores, boolean[] labels) {
        float best = 0.5f;
        double bestF1 = -1;
        for (int step = 5; step <= 95; step++) {
            float t = step / 100f;
            BinaryMetrics m = new BinaryMetrics();
            for (int i = 0; i < scores.length; i++) {
                m.add(labels[i], scores[i] >= t);
            }
            if (m.f1() > bestF1 + 1e-9) {
                bestF1 = m.f1();
                best = t;
            }
        }
        return best;
    }

    public String toJson() {
        return String.format(java.util.Locale.ROOT,
                "{\"f1\":%.4f,\"precision\":%.4f,\"recall\":%.4f,\"tp\":%d,\"fp\":%d,\"tn\":%d,\"fn\":%d}",
                f1(), precision(), recall(), tp, fp, tn, fn);
    }

    @Override
    public String toString() {
        return String.format(java.util.Locale.ROOT, "F1 %.4f  P %.4f  R %.4f  tp %d fp %d tn %d fn %d",
                f1(), precision(), recall(), tp, fp, tn, fn);
    }
}
