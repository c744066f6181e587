package io.guardstream.model.train;

import io.guardstream.model.encoder.BertGraph;
import io.guardstream.model.encoder.LoraAdapter;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Encoder weights with low-rank terms kept apart: a module with factors computes
 * {@code x W + b + scale * (x A) B}, which is what {@link LoraAdapter#mergeInto} folds into {@code W} for serving.
 * The factors are variables while training and constants when checking a trained adapter.
 */
final class AdaptedParams implements BertGraph.Params {

    private final BertGraph.Params frozen;
    private final Map<String, Operand<TFloat32>[]> factors;
    private final Operand<TFloat32> scale;

    AdaptedParams(BertGraph.Params frozen, Map<String, Operand<TFloat32>[]> factors, Operand<TFloat32> scale) {
        this.frozen = frozen;
        this.factors = factors;
        this.scale = scale;
    }

    /** The factors of a trained adapter as graph constants. */
    @SuppressWarnings("unchecked")
    static AdaptedParams constants(Ops tf, BertGraph.Params frozen, LoraAdapter adapter) {
        Map<String, Operand<TFloat32>[]> factors = new LinkedHashMap<>();
        adapter.modules().forEach((module, f) -> factors.put(module, new Operand[] {
                tf.constant(Shape.of(f.in(), adapter.rank()), DataBuffers.of(f.a(), true, false)),
                tf.constant(Shape.of(adapter.rank(), f.out()), DataBuffers.of(f.b(), true, false))}));
        return new AdaptedParams(frozen, factors, tf.constant(adapter.scale()));
    }

    @Override
    public Operand<TFloat32> tensor(String name) {
        return frozen.tensor(name);
    }

    @Override
    public Operand<TFloat32> dense(Ops tf, Operand<TFloat32> x, String module) {
        Operand<TFloat32> base = frozen.dense(tf, x, module);
        Operand<TFloat32>[] f = factors.get(module);
        return f == null ? base : tf.math.add(base, tf.math.mul(tf.linalg.matMul(tf.linalg.matMul(x, f[0]), f[1]), scale));
    }
}
