package io.guardstream.gateway;

import io.guardstream.gateway.config.ConfigLoader;
import io.guardstream.gateway.config.GatewayConfig;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code guardstream gateway [--port P] [--upstream URL] [--api-key KEY] [--config FILE]}.
 * Flags win over the file and the file over {@code GUARDSTREAM_*} defaults.
 */
public final class GatewayMain {

  private GatewayMain() {
  }

  public static void main(String[] args) throws Exception {
    if (System.getProperty("logback.configurationFile") == null) {
      System.setProperty("logback.configurationFile", "guardstream-gateway-logback.xml");
    }
    Logger log = LoggerFactory.getLogger(GatewayMain.class);
    GatewayConfig config;
    try {
      config = parse(args);
    } catch (IllegalArgumentException e) {
      System.err.println("guardstream gateway: " + e.getMessage());
      System.err.println("usage: guardstream gateway [--port P] [--upstream URL] [--api-key KEY] [--config FILE]");
      System.exit(2);
      return;
    }
    Gateway gateway;
    try {
      gateway = Gateway.create(config);
    } catch (IllegalArgumentException | IllegalStateException e) {
      System.err.println("guardstream gateway: " + e.getMessage());
      System.exit(2);
      return;
    }
    try {
      gateway.start().await(60, TimeUnit.SECONDS);
    } catch (Exception e) {
      log.error("Gateway failed to start", e);
      gateway.stop();
      System.exit(1);
    }
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      try {
        gateway.stop().await(10, TimeUnit.SECONDS);
      } catch (Exception e) {
        log.warn("Unclean gateway stop: {}", e.toString());
      }
      stopped.countDown();
    }, "guardstream-shutdown"));
    stopped.await();
  }

  /** Parses the command line into a config (file, then environment, then flags). */
  public static GatewayConfig parse(String[] args) throws java.io.IOException {
    Path file = null;
    Integer port = null;
    String upstream = null;
    String apiKey = null;
    for (int i = 0; i < args.length; i++) {
      String arg = args[i];
      String value = null;
      int eq = arg.indexOf('=');
      if (arg.startsWith("--") && eq > 0) {
        value = arg.substring(eq + 1);
        arg = arg.substring(0, eq);
      }
      if (!arg.equals("--help") && value == null) {
        if (i + 1 >= args.length) {
          throw new IllegalArgumentException("missing value for " + arg);
        }
        value = args[++i];
      }
      switch (arg) {
        case "--config" -> file = Path.of(value);
        case "--port" -> {
          try {
            port = Integer.parseInt(value);
          } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--port needs a number");
          }
        }
        case "--upstream" -> upstream = value;
        case "--api-key" -> apiKey = value;
        case "--help" -> throw new IllegalArgumentException("help");
        default -> throw new IllegalArgumentException("unknown option " + arg);
      }
    }
    GatewayConfig config = ConfigLoader.load(file, System.getenv());
    if (port != null) {
      config.server.port = port;
    }
    if (upstream != null) {
      ConfigLoader.setDefaultUpstream(config, upstream);
    }
    if (apiKey != null) {
      ConfigLoader.addApiKey(config, apiKey);
    }
    return config;
  }
}
