package io.guardstream.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;

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
}
