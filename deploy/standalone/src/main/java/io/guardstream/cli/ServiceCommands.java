package io.guardstream.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

import io.guardstream.gateway.GatewayMain;
import io.guardstream.model.ModelServerMain;
import io.guardstream.model.eval.EvalMain;
import io.guardstream.model.train.TrainMain;
import io.guardstream.streams.StreamProcessorMain;
import picocli.CommandLine.Command;
import picocli.CommandLine.Unmatched;

/**
 * Subcommands that run one service or tool on its own, as in a distributed deployment. Each passes its
 * arguments untouched to the module's main class, which owns its flags and usage text.
 */
final class ServiceCommands {

    private ServiceCommands() {
    }

    /** Hands every argument to a module's {@code main}. */
    abstract static class Delegating implements Callable<Integer> {
        @Unmatched
        List<String> args = new ArrayList<>();

        abstract void main(String[] args) throws Exception;

        @Override
        public Integer call() throws Exception {
            main(args.toArray(String[]::new));
            return 0;
        }
    }

    @Command(name = "gateway", description = "Runs the gateway alone: [--port P] [--upstream URL] [--api-key KEY] [--config FILE].")
    static final class GatewayCommand extends Delegating {
        @Override
        void main(String[] args) throws Exception {
            GatewayMain.main(args);
        }
    }

    @Command(name = "stream-processor", description = "Runs the checks and audit apps: [--bootstrap HOST:PORT] "
            + "[--registry URL] [--model-url URL] [--admin-port N] [--only checks|audit] [--config FILE].")
    static final class StreamProcessorCommand extends Delegating {
        @Override
        void main(String[] args) throws Exception {
            StreamProcessorMain.main(args);
        }
    }

    @Command(name = "model-server", description = "Runs the guard model server: [--port P] [--config FILE.yaml].")
    static final class ModelServerCommand extends Delegating {
        @Override
        void main(String[] args) throws Exception {
            ModelServerMain.main(args);
        }
    }

    @Command(name = "train", description = "Trains the guard heads: --train FILE --dev FILE --out DIR [options, see docs/model-server.md].")
    static final class TrainCommand extends Delegating {
        @Override
        void main(String[] args) throws Exception {
            TrainMain.main(args);
        }
    }

    @Command(name = "eval", description = "Evaluates the guard: --data FILE.jsonl [--data ...] [--encoder e5-small-v2|minilm-l6 | --heads FILE] [--by-source].")
    static final class EvalCommand extends Delegating {
        @Override
        void main(String[] args) throws Exception {
            EvalMain.main(args);
        }
    }
}
