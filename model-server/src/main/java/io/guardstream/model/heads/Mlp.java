package io.guardstream.model.heads;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;

/**
 * A two-layer perceptron {@code sigmoid(relu(x W1 + b1) W2 + b2)} with row-major weights; the inference side of
 * the heads trained by {@code io.guardstream.model.train.HeadTrainer}. Immutable, thread-safe.
 */
public record Mlp(int in, int hidden, int out, float[] w1, float[] b1, float[] w2, float[] b2) {

    public Mlp {
        if (w1.length != in * hidden || b1.length != hidden || w2.length != hidden * out || b2.length != out) {
            throw new IllegalArgumentException("weight shapes do not match " + in + "x" + hidden + "x" + out);
        }
    }

    /** Output logits for one input row. */
    public float[] logits(float[] x) {
        if (x.length != in) {
            throw new IllegalArgumentException("input has " + x.length + " features, head expects " + in);
        }
        float[] h = b1.clone();
        for (int i = 0; i < in; i++) {
            float xi = x[i];
            if (xi == 0f) {
                continue;
            }
            int row = i * hidden;
            for (int j = 0; j < hidden; j++) {
                h[j] += xi * w1[row + j];
            }
        }
        float[] o = b2.clone();
        for (int j = 0; j < hidden; j++) {
            float hj = h[j];
            if (hj <= 0f) {
                continue;
            }
            int row = j * out;
            for (int k = 0; k < out; k++) {
                o[k] += hj * w2[row + k];
            }
        }
        return o;
    }

    /** Sigmoid of {@link #logits}. */
    public float[] probabilities(float[] x) {
        float[] l = logits(x);
        for (int k = 0; k < l.length; k++) {
            l[k] = sigmoid(l[k]);
        }
        return l;
    }

    public static float sigmoid(float v) {
        return (float) (1.0 / (1.0 + Math.exp(-v)));
    }

    void write(DataOutputStream out) throws IOException {
        out.writeInt(in);
        out.writeInt(hidden);
        out.writeInt(this.out);
        for (float[] a : new float[][] {w1, b1, w2, b2}) {
            for (float f : a) {
                out.writeFloat(f);
            }
        }
    }

    static Mlp read(DataInputStream in) throws IOException {
        int i = in.readInt();
        int h = in.readInt();
        int o = in.readInt();
        float[][] arrays = {new float[i * h], new float[h], new float[h * o], new float[o]};
        for (float[] a : arrays) {
            for (int k = 0; k < a.length; k++) {
                a[k] = in.readFloat();
            }
        }
        return new Mlp(i, h, o, arrays[0], arrays[1], arrays[2], arrays[3]);
    }
}
