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
 * Subcommands that run one service on its own, as in a distributed deployment. Each passes its
 * arguments untouched to the service's main class, which owns its flags and usage text.
 */
final class ServiceCommands {

    private ServiceCommands() {
    }

    @Command(name = "gateway", description = "Runs the gateway alone: [--port P] [--upstream URL] [--api-key KEY] [--config FILE].")
    static final class GatewayCommand implements Callable<Integer> {
        @Unmatched
        List<String> args = new ArrayList<>();

        @Override
        public Integer call() throws Exception {
            GatewayMain.main(args.toArray(String[]::new));
            return 0;
        }
    }

    @Command(name = "stream-processor", description = "Runs the checks and audit apps: [--bootstrap HOST:PORT] "
            + "[--registry URL] [--model-url URL] [--admin-port N] [--only checks|audit] [--config FILE].")
    static final class StreamProcessorCommand implements Callable<Integer> {
        @Unmatched
        List<String> args = new ArrayList<>();

        @Override
        public Integer call() throws Exception {
            StreamProcessorMain.main(args.toArray(String[]::new));
            return 0;
        }
    }

    @Command(name = "model-server", description = "Runs the guard model server: [--port P] [--config FILE.yaml].")
    static final class ModelServerCommand implements Callable<Integer> {
        @Unmatched
        List<String> args = new ArrayList<>();

        @Override
        public Integer call() throws Exception {
            ModelServerMain.main(args.toArray(String[]::new));
            return 0;
        }
    }

    @Command(name = "train", description = "Trains the guard heads: --train FILE --dev FILE --out DIR [options, see docs/model-server.md].")
    static final class TrainCommand implements Callable<Integer> {
        @Unmatched
        List<String> args = new ArrayList<>();

        @Override
        public Integer call() throws Exception {
            TrainMain.main(args.toArray(String[]::new));
            return 0;
        }
    }

    @Command(name = "eval", description = "Evaluates the guard: --data FILE.jsonl [--data ...] [--by-source].")
    static final class EvalCommand implements Callable<Integer> {
        @Unmatched
        List<String> args = new ArrayList<>();

        @Override
        public Integer call() throws Exception {
            EvalMain.main(args.toArray(String[]::new));
            return 0;
        }
    }
}
