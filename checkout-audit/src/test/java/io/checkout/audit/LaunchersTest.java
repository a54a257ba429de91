package io.checkout.audit;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The JVM options the application is started with are written in three places: Maven's {@code spring-boot:run},
 * the Dockerfile, and the benchmark's {@code --start}. A change to one that the others miss would measure one JVM
 * and ship another. Since 2026-12-07 there are none of the JVM's own ({@code -XX:}) but the container's memory
 * share, which only the Dockerfile needs.
 */
class LaunchersTest {

    private static final Path TOP = Path.of("..");
    private static final Pattern JVM_OPTION = Pattern.compile("-XX:[^\\s\"<]+");

    @Test
    void mavenTheImageAndTheBenchmarkStartTheSameJvm() throws IOException {
        String pom = Files.readString(TOP.resolve("checkout-app/pom.xml"));
        String dockerfile = Files.readString(TOP.resolve("Dockerfile"));
        Matcher jvmArguments = Pattern.compile("<jvmArguments>([^<]*)</jvmArguments>").matcher(pom);
        Matcher toolOptions = Pattern.compile("JAVA_TOOL_OPTIONS=\"([^\"]*)\"").matcher(dockerfile);
        assertThat(jvmArguments.find()).as("checkout-app/pom.xml names the JVM's arguments").isTrue();
        assertThat(toolOptions.find()).as("the Dockerfile sets JAVA_TOOL_OPTIONS").isTrue();

        Set<String> benchmark = jvmOptions(BenchCommand.DEFAULT_JVM_OPTIONS);
        Set<String> image = jvmOptions(toolOptions.group(1));
        image.removeIf(option -> option.startsWith("-XX:MaxRAMPercentage="));

        assertThat(jvmOptions(jvmArguments.group(1))).as("checkout-app/pom.xml").isEqualTo(benchmark);
        assertThat(image).as("Dockerfile").isEqualTo(benchmark);
    }

    @Test
    void theJvmsOwnOptionsAreReadFromALauncher() {
        assertThat(jvmOptions("-XX:MaxRAMPercentage=75 -XX:MaxGCPauseMillis=25 -Daxoniq.update-checker.disabled=true"))
                .containsExactly("-XX:MaxGCPauseMillis=25", "-XX:MaxRAMPercentage=75");
    }

    private static Set<String> jvmOptions(String launcher) {
        Set<String> options = new TreeSet<>();
        Matcher option = JVM_OPTION.matcher(launcher);
        while (option.find()) {
            options.add(option.group());
        }
        return options;
    }
}
