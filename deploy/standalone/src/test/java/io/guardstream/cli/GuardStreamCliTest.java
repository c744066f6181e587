package io.guardstream.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class GuardStreamCliTest {

    @Test
    void shouldListSubcommandsInHelp() {
        StringWriter out = new StringWriter();
        int exit = GuardStreamCli.commandLine().setOut(new PrintWriter(out)).execute("--help");
        assertThat(exit).isZero();
        assertThat(out.toString()).contains("standalone", "gateway", "stream-processor", "model-server", "train", "eval", "tail");
    }

    @Test
    void shouldRejectAnUnknownSubcommandWithUsage() {
        StringWriter err = new StringWriter();
        CommandLine cli = GuardStreamCli.commandLine().setErr(new PrintWriter(err));
        assertThat(cli.execute("frobnicate")).isNotZero();
        assertThat(err.toString()).contains("frobnicate");
    }

    @Test
    void shouldReportAnUnreachableBroker() {
        StringWriter err = new StringWriter();
        CommandLine cli = GuardStreamCli.commandLine().setErr(new PrintWriter(err));
        // nothing listens on port 1: the consumer gives up after its metadata timeout
        int exit = cli.execute("tail", "guard.nothing", "--bootstrap", "127.0.0.1:1", "--timeout", "1");
        assertThat(exit).isEqualTo(3);
        assertThat(err.toString()).contains("Cannot reach Kafka at 127.0.0.1:1");
    }

    @Test
    void shouldKeepTheModelServerServingAfterItsCommandStarted() throws Exception {
        int port;
        try (ServerSocket free = new ServerSocket(0)) {
            port = free.getLocalPort();
        }
        AtomicInteger exit = new AtomicInteger(-1);
        Thread command = new Thread(() -> exit.set(GuardStreamCli.commandLine()
                .execute("model-server", "--port", Integer.toString(port))), "model-server-command");
        command.setDaemon(true);
        command.start();
        HttpClient http = HttpClient.newHttpClient();
        URI live = URI.create("http://127.0.0.1:" + port + "/health/live");
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (liveStatus(http, live) != 200) {
            assertThat(System.nanoTime()).as("model server answers /health/live").isLessThan(deadline);
            Thread.sleep(200);
        }
        // the launcher exits the JVM when a command returns: the command must hold on while the server runs
        command.join(1_000);
        assertThat(command.isAlive()).as("model-server command still running").isTrue();
        assertThat(liveStatus(http, live)).isEqualTo(200);

        command.interrupt();
        command.join(60_000);
        assertThat(command.isAlive()).isFalse();
        assertThat(exit.get()).isZero();
        assertThat(liveStatus(http, live)).as("port closed after the command stopped").isEqualTo(-1);
    }

    private static int liveStatus(HttpClient http, URI uri) throws InterruptedException {
        try {
            return http.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(5)).build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException e) {
            return -1;
        }
    }
}
