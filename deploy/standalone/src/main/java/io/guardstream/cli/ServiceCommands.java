package io.guardstream.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

import io.guardstream.gateway.GatewayMain;
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
}
