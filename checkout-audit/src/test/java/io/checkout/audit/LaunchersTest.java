package io.checkout.audit;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The JVM options the application is started with are written in three places: Maven's {@code spring-boot:run},
 * the Dockerfile, and the benchmark's {@code --start}. A change to one that the others miss would measure one JVM
 * and ship another.
 */
class LaunchersTest {

    private static final Path TOP = Path.of("..");

    @Test
    void mavenTheImageAndTheBenchmarkStartTheSameJvm() throws IOException {
        String pom = Files.readString(TOP.resolve("checkout-app/pom.xml"));
        String dockerfile = Files.readString(TOP.resolve("Dockerfile"));

        List<String> options = BenchCommand.jvmOptions(BenchCommand.DEFAULT_JVM_OPTIONS);
        assertThat(options).as("the benchmark's options, which the other launchers must carry").isNotEmpty();
        for (String option : options) {
            String quoted = Pattern.quote(option);
            assertThat(pom).as("checkout-app/pom.xml").containsPattern("<jvmArguments>[^<]*" + quoted + "[\\s<]");
            assertThat(dockerfile).as("Dockerfile").containsPattern("JAVA_TOOL_OPTIONS=\"[^\"]*" + quoted + "[\\s\"]");
        }
    }
}
