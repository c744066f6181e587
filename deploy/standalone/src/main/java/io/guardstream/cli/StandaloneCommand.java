package io.guardstream.cli;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

import io.guardstream.standalone.Standalone;
import io.guardstream.standalone.StandaloneConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "standalone", mixinStandardHelpOptions = true,
        description = {"Runs everything in one JVM: embedded Kafka (KRaft), the embedded schema registry and every service.",
                "Settings: defaults < --config YAML < GUARDSTREAM_* environment < flags. Stop with Ctrl-C."})
final class StandaloneCommand implements Callable<Integer> {

    @Option(names = "--data-dir", description = "Where Kafka keeps its data; survives restarts (default ./data).")
    Path dataDir;

    @Option(names = "--config", description = "YAML settings file.")
    Path config;

    @Option(names = "--upstream", description = "Base URL of the upstream VLM API, e.g. http://localhost:8000/v1 "
            + "(default: a built-in demo upstream).")
    String upstream;

    @Option(names = "--api-key", description = "A gateway API key for tenant 'default' (default: no key, open access).")
    String apiKey;

    @Option(names = "--kafka-port", description = "Kafka client port (default 9092).")
    Integer kafkaPort;

    @Option(names = "--registry-port", description = "Schema registry port (default 8081).")
    Integer registryPort;

    @Override
    public Integer call() throws Exception {
        Map<String, String> overrides = new HashMap<>();
        if (dataDir != null) {
            overrides.put("dataDir", dataDir.toString());
        }
        if (kafkaPort != null) {
            overrides.put("kafka.port", kafkaPort.toString());
        }
        if (registryPort != null) {
            overrides.put("registry.port", registryPort.toString());
        }
        StandaloneConfig settings = StandaloneConfig.load(config, System::getenv, overrides);
        if (upstream != null) {
            io.guardstream.gateway.config.ConfigLoader.setDefaultUpstream(settings.gateway(), upstream);
        }
        if (apiKey != null) {
            io.guardstream.gateway.config.ConfigLoader.addApiKey(settings.gateway(), apiKey);
        }

        Standalone standalone = new Standalone(settings).start();
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            System.out.println("GuardStream stopping...");
            standalone.close();
            System.out.println("GuardStream stopped.");
            stopped.countDown();
        }, "guardstream-shutdown"));

        System.out.println("GuardStream standalone is running (data in " + Path.of(settings.dataDir()).toAbsolutePath().normalize() + "):");
        standalone.endpoints().forEach((name, address) -> System.out.printf("  %-16s %s%n", name, address));
        if (standalone.adminToken() != null) {
            System.out.println("  stream admin token (alerts feed, stats): " + standalone.adminToken());
        }
        System.out.println("Point an OpenAI client at " + standalone.endpoints().get("gateway")
                + "; watch verdicts with: bin/guardstream tail guard.verdicts.v1");
        System.out.println("Press Ctrl-C to stop.");
        stopped.await();
        return 0;
    }
}
