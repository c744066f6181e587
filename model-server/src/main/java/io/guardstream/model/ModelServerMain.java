package io.guardstream.model;

import io.guardstream.model.config.ModelServerConfig;
import io.guardstream.model.serve.ModelServer;
import io.vertx.core.Vertx;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;

/** {@code ModelServerMain [--port P] [--config FILE.yaml]}: runs the guard model server until the JVM stops. */
public final class ModelServerMain {

    private static final Logger LOG = LoggerFactory.getLogger(ModelServerMain.class);

    private ModelServerMain() {
    }

    public static void main(String[] args) throws Exception {
        if (System.getProperty("logback.configurationFile") == null) {
            // a library jar must not ship logback.xml: embedders (standalone) bring their own
            System.setProperty("logback.configurationFile", "guardstream-model-logback.xml");
        }
        Integer port = null;
        Path configFile = null;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--port" -> port = Integer.parseInt(args[++i]);
                case "--config" -> configFile = Path.of(args[++i]);
                default -> {
                    System.err.println("usage: ModelServerMain [--port P] [--config FILE.yaml]");
                    System.exit(2);
                }
            }
        }
        ModelServerConfig config = ModelServerConfig.load(configFile, ModelServerConfig.environment());
        if (port != null) {
            config = config.withPort(port);
        }
        Vertx vertx = Vertx.vertx();
        ModelServer server = new ModelServer(vertx, config);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                server.stop().await(java.util.concurrent.TimeUnit.SECONDS.toMillis(30), java.util.concurrent.TimeUnit.MILLISECONDS);
            } catch (Exception e) {
                LOG.warn("shutdown: {}", e.toString());
            }
            vertx.close();
        }, "model-server-shutdown"));
        server.start().onFailure(e -> {
            LOG.error("model server failed to start", e);
            System.exit(1);
        });
        server.ready().onFailure(e -> LOG.error("model not ready: {}", e.getMessage()));
    }
}
