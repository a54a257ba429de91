package io.checkout.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WindowProfilerTest {

    @Test
    void profilesAnotherJvmForAWindow(@TempDir Path dir) throws Exception {
        assumeTrue(WindowProfiler.unsupported("itimer") == null, "async-profiler has no library for this system");
        Process busy = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), BusyLoop.class.getName())
                .redirectErrorStream(true).redirectOutput(dir.resolve("busy.log").toFile()).start();
        try {
            Thread.sleep(1000);
            WindowProfiler profiler = WindowProfiler.of(busy.pid(), "itimer");
            profiler.start();
            Thread.sleep(2000);
            CpuProfile profile = profiler.stop(dir, "window");

            // Two seconds of a spinning thread, a sample every 10 ms of its CPU: about 200 (fewer on a busy machine).
            assertThat(profile.samples()).isGreaterThan(50);
            assertThat(profile.byThread().get("main")).isGreaterThan(profile.samples() / 2);
            assertThat(profile.byCode().get("io.checkout")).isGreaterThan(profile.samples() / 2);
            assertThat(profile.innermostMethods().keySet()).anyMatch(m -> m.startsWith(BusyLoop.class.getName()));
            assertThat(Files.readString(dir.resolve("window.html"))).contains("BusyLoop");
            assertThat(Files.size(dir.resolve("window.collapsed"))).isPositive();
        } finally {
            busy.destroyForcibly().waitFor();
        }
    }

    @Test
    void refusesAnEventItDoesNotSample() {
        assertThat(WindowProfiler.unsupported("alloc")).contains("itimer", "cpu", "wall");
    }

    @Test
    void findsTheLibraryForEachSystemAsyncProfilerShips() {
        assertThat(List.of(WindowProfiler.platform("Linux", "amd64"), WindowProfiler.platform("Linux", "aarch64"),
                WindowProfiler.platform("Mac OS X", "aarch64")))
                .containsExactly("linux-x64", "linux-arm64", "macos");
        for (String platform : List.of("linux-x64", "linux-arm64", "macos")) {
            assertThat(WindowProfiler.class.getResource("/" + platform + "/libasyncProfiler.so")).as(platform)
                    .isNotNull();
        }
        assertThat(WindowProfiler.platform("Windows 11", "amd64")).isNull();
        assertThat(WindowProfiler.platform("Linux", "s390x")).isNull();
    }
}
