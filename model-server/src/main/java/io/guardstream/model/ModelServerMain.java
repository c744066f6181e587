package io.guardstream.model;

import io.guardstream.model.config.ModelServerConfig;
import io.guardstream.model.serve.ModelServer;
import io.vertx.core.Vertx;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * {@code ModelServerMain [--port P] [--config FILE.yaml]}: runs the guard model server until the JVM stops.
 * {@link #main} returns only when the server has stopped (JVM shutdown, or the calling thread interrupted), so a
 * launcher that exits after its command returns keeps the server up.
 */
public final class ModelServerMain {

    private static final Logger LOG = LoggerFactory.getLogger(ModelServerMain.class);
    private static final long STOP_TIMEOUT_MS = TimeUnit.SECONDS.toMillis(30);

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
        try {
            server.start().await(60, TimeUnit.SECONDS);
        } catch (Exception e) {
            LOG.error("model server failed to start", e);
            vertx.close();
            System.exit(1);
        }
        server.ready().onFailure(e -> LOG.error("model not ready: {}", e.getMessage()));
        CountDownLatch stopped = new CountDownLatch(1);
        Thread hook = new Thread(() -> {
            stop(server, vertx);
            stopped.countDown();
        }, "model-server-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            stopped.await();
        } catch (InterruptedException e) {
            Runtime.getRuntime().removeShutdownHook(hook);
            stop(server, vertx);
            Thread.currentThread().interrupt();
        }
    }

    private static void stop(ModelServer server, Vertx vertx) {
        try {
            server.stop().await(STOP_TIMEOUT_MS, TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            LOG.warn("shutdown: {}", e.toString());
        }
        try {
            vertx.close().await(STOP_TIMEOUT_MS, TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            LOG.warn("shutdown: {}", e.toString());
        }
    }
}
