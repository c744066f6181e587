package io.guardstream.model.train;

import org.junit.jupiter.api.Test;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TFloat32;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class OrderedAdamTest {

    private static final int VARIABLES = 48;
    private static final float LEARNING_RATE = 0.1f;

    /**
     * With a constant gradient every bias-corrected Adam step has the size of the learning rate. Many variables make
     * the framework Adam's race likely (some of them read the next step's beta powers and move by about 0.74 of it).
     */
    @Test
    void everyVariableTakesTheTextbookStepOnEveryStep() {
        try (Graph g = new Graph()) {
            Ops tf = Ops.create(g);
            List<Variable<TFloat32>> vars = new ArrayList<>();
            Operand<TFloat32> loss = tf.constant(0f);
            for (int i = 0; i < VARIABLES; i++) {
                Variable<TFloat32> v = tf.variable(tf.constant(0f));
                vars.add(v);
                float slope = i % 2 == 0 ? 1f + i : -1f - i; // the sign decides the direction, the size must not matter
                loss = tf.math.add(loss, tf.math.mul(tf.constant(slope), v));
            }
            Op minimize = new OrderedAdam(g, LEARNING_RATE).minimize(loss);
            try (Session s = new Session(g)) {
                s.initialize();
                for (int step = 1; step <= 3; step++) {
                    s.runner().addTarget(minimize).run();
                    Session.Runner fetch = s.runner();
                    vars.forEach(fetch::fetch);
                    try (Result r = fetch.run()) {
                        for (int i = 0; i < VARIABLES; i++) {
                            float expected = (i % 2 == 0 ? -1 : 1) * LEARNING_RATE * step;
                            assertThat(((TFloat32) r.get(i)).getFloat()).as("variable %d after step %d", i, step)
                                    .isCloseTo(expected, within(1e-5f));
                        }
                    }
                }
            }
        }
    }
}
