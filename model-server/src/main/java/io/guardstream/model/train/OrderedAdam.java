package io.guardstream.model.train;

import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Output;
import org.tensorflow.framework.optimizers.Optimizer;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Constant;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.family.TType;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Adam (Kingma and Ba) whose bias-correction powers {@code beta1^t} and {@code beta2^t} advance only after every
 * variable of the step has been updated. tensorflow-framework 1.0.0's {@code Adam} adds those two assignments beside
 * the {@code ApplyAdam} ops without a control dependency, so within one step some variables read {@code beta^t} and
 * others {@code beta^(t+1)}, depending on thread timing: the same seed gave different weights from run to run (the
 * first step's size varies by a quarter). Here the assignments wait for all updates, as in TensorFlow's Python Adam,
 * and training is bit-reproducible.
 */
final class OrderedAdam extends Optimizer {

    private static final String FIRST_MOMENT = "m";
    private static final String SECOND_MOMENT = "v";
    private static final float BETA_ONE = 0.9f;
    private static final float BETA_TWO = 0.999f;
    private static final float EPSILON = 1e-8f;

    private final float learningRate;
    private Variable<TFloat32> betaOnePower;
    private Variable<TFloat32> betaTwoPower;
    private Constant<TFloat32> learningRateConst;
    private Constant<TFloat32> betaOneConst;
    private Constant<TFloat32> betaTwoConst;
    private Constant<TFloat32> epsilonConst;

    OrderedAdam(Graph graph, float learningRate) {
        super(graph);
        this.learningRate = learningRate;
    }

    @Override
    protected void createSlots(List<Output<? extends TType>> variables) {
        for (Output<? extends TType> v : variables) {
            createMomentSlots(v);
        }
        Ops init = tf.withInitScope();
        betaOnePower = init.withName("beta1_power").variable(Shape.scalar(), TFloat32.class);
        init.assign(betaOnePower, init.constant(BETA_ONE));
        betaTwoPower = init.withName("beta2_power").variable(Shape.scalar(), TFloat32.class);
        init.assign(betaTwoPower, init.constant(BETA_TWO));
    }

    private <T extends TType> void createMomentSlots(Output<T> v) {
        Operand<T> zeros = tf.fill(tf.shape(v), tf.dtypes.cast(tf.constant(0f), v.type()));
        createSlot(v, FIRST_MOMENT, zeros);
        createSlot(v, SECOND_MOMENT, zeros);
    }

    @Override
    protected Optional<Op> prepare(String scopeName) {
        learningRateConst = tf.constant(learningRate);
        betaOneConst = tf.constant(BETA_ONE);
        betaTwoConst = tf.constant(BETA_TWO);
        epsilonConst = tf.constant(EPSILON);
        return Optional.empty();
    }

    @Override
    protected <T extends TType> Op applyDense(Ops deps, Output<T> gradient, Output<T> variable) {
        Class<T> type = gradient.type();
        return deps.train.applyAdam(variable, getSlot(variable, FIRST_MOMENT).orElseThrow(),
                getSlot(variable, SECOND_MOMENT).orElseThrow(),
                deps.dtypes.cast(betaOnePower, type), deps.dtypes.cast(betaTwoPower, type),
                deps.dtypes.cast(learningRateConst, type), deps.dtypes.cast(betaOneConst, type),
                deps.dtypes.cast(betaTwoConst, type), deps.dtypes.cast(epsilonConst, type), gradient);
    }

    @Override
    protected Op finish(List<Op> updates, String name) {
        Ops afterUpdates = tf.withControlDependencies(updates);
        List<Op> all = new ArrayList<>(updates);
        all.add(afterUpdates.assign(betaOnePower, afterUpdates.math.mul(betaOnePower, betaOneConst)));
        all.add(afterUpdates.assign(betaTwoPower, afterUpdates.math.mul(betaTwoPower, betaTwoConst)));
        return super.finish(all, name);
    }

    @Override
    public String getOptimizerName() {
        return "OrderedAdam";
    }
}
