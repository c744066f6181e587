package io.guardstream.avro.serde;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.concurrent.TimeUnit;

import io.guardstream.avro.EnforcementRecord;
import io.guardstream.avro.GuardVerdict;
import org.junit.jupiter.api.Test;

/**
 * Builders that fill in enum defaults must work in a fresh JVM that never created a serde: the
 * generated classes trust their own package. Runs {@link Probe} in a new JVM, since trust is JVM-wide.
 */
class GeneratedClassTrustTest {

    @Test
    void shouldBuildRecordsWithEnumDefaultsInAFreshJvmWithoutFlags() throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process process = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), Probe.class.getName())
                .redirectErrorStream(true).start();
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.exitValue()).as(output).isZero();
        assertThat(output).contains("AUDIT NONE");
    }

    /** Entry point of the fresh JVM. */
    public static final class Probe {
        public static void main(String[] args) {
            GuardVerdict verdict = GuardVerdict.newBuilder().setVerdictId("v").setExchangeId("e").setTenantId("t")
                    .setModel("m").setCreatedAt(Instant.EPOCH).build();
            EnforcementRecord enforcement = EnforcementRecord.newBuilder().build();
            System.out.println(verdict.getSource() + " " + enforcement.getAction());
        }
    }
}
