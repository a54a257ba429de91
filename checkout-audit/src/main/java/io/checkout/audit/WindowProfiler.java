package io.checkout.audit;

import com.sun.tools.attach.AgentInitializationException;
import com.sun.tools.attach.AgentLoadException;
import com.sun.tools.attach.AttachNotSupportedException;
import com.sun.tools.attach.VirtualMachine;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Locale;

/**
 * async-profiler, loaded into another JVM on this machine (the application under the benchmark) for a window:
 * {@code bench --profile itimer}. The library comes from Maven Central's {@code tools.profiler:async-profiler} jar,
 * which holds it for Linux (x64, arm64) and macOS; it is copied to a file and loaded through the JDK's attach API,
 * so the application needs no option of its own.
 *
 * <p>Unlike JFR's execution samples, which take only threads running Java code, async-profiler samples CPU time
 * in every thread, inside the JVM too: the collector, the compiler, stack walks, exceptions' stack traces
 * (docs/performance.md, "Every statement closed twice, and a profile that sees the JVM's own work"). {@code itimer}
 * needs no permission; {@code cpu} (perf events) sees kernel frames too where the machine allows it; {@code wall}
 * samples threads whether they run or wait.
 */
final class WindowProfiler {

    /** The events a window may be sampled on; each sample stands for this interval. */
    static final List<String> EVENTS = List.of("itimer", "cpu", "wall");
    static final int INTERVAL_MILLIS = 10;

    private final long pid;
    private final String event;
    private final Path library;

    private WindowProfiler(long pid, String event, Path library) {
        this.pid = pid;
        this.event = event;
        this.library = library;
    }

    /**
     * Why a window cannot be profiled here with this event, or null if it can: an event not in {@link #EVENTS}, or
     * a system async-profiler has no library for.
     */
    static String unsupported(String event) {
        if (!EVENTS.contains(event)) {
            return "--profile takes one of " + EVENTS + ", not " + event;
        }
        if (platform(System.getProperty("os.name"), System.getProperty("os.arch")) == null) {
            return "async-profiler has no library for " + System.getProperty("os.name") + " on "
                    + System.getProperty("os.arch") + " (it runs on Linux x64 and arm64, and macOS)";
        }
        return null;
    }

    /** A profiler for the JVM of this process id, its library ready on the disk; see {@link #unsupported}. */
    static WindowProfiler of(long pid, String event) throws IOException {
        String unsupported = unsupported(event);
        if (unsupported != null) {
            throw new IllegalArgumentException(unsupported);
        }
        String platform = platform(System.getProperty("os.name"), System.getProperty("os.arch"));
        Path library = Files.createTempFile("libasyncProfiler", ".so");
        library.toFile().deleteOnExit();
        try (InputStream in = WindowProfiler.class.getResourceAsStream("/" + platform + "/libasyncProfiler.so")) {
            if (in == null) {
                throw new IllegalStateException("the async-profiler jar is not on the class path");
            }
            Files.copy(in, library, StandardCopyOption.REPLACE_EXISTING);
        }
        return new WindowProfiler(pid, event, library);
    }

    /** The folder of async-profiler's jar that holds the library for this system, or null if none does. */
    static String platform(String osName, String osArch) {
        String os = osName.toLowerCase(Locale.ROOT);
        if (os.contains("mac")) {
            return "macos";
        }
        if (!os.contains("linux")) {
            return null;
        }
        return switch (osArch) {
            case "amd64", "x86_64" -> "linux-x64";
            case "aarch64", "arm64" -> "linux-arm64";
            default -> null;
        };
    }

    String event() {
        return event;
    }

    /** Starts sampling, each stack with its thread. */
    void start() {
        command("start,event=" + event + ",interval=" + INTERVAL_MILLIS + "ms,threads");
    }

    /**
     * Stops sampling and writes what it saw: the collapsed stacks ({@code NAME.collapsed}) and a flame graph
     * ({@code NAME.html}) in the folder.
     *
     * @return the profile read from the collapsed stacks
     */
    CpuProfile stop(Path dir, String name) throws IOException {
        Files.createDirectories(dir);
        Path collapsed = dir.resolve(name + ".collapsed").toAbsolutePath();
        Path flameGraph = dir.resolve(name + ".html").toAbsolutePath();
        // The target writes the files: absolute paths, as its working directory is its own.
        command("dump,collapsed,file=" + collapsed);
        command("stop,file=" + flameGraph);
        return CpuProfile.parse(Files.readString(collapsed));
    }

    /** Stops sampling without writing anything. */
    void stopQuietly() {
        command("stop");
    }

    /** What a sample stands for in CPU seconds; 0 for wall-clock samples, which are not CPU time. */
    double cpuSecondsPerSample() {
        return event.equals("wall") ? 0 : INTERVAL_MILLIS / 1000.0;
    }

    private void command(String command) {
        VirtualMachine vm;
        try {
            vm = VirtualMachine.attach(Long.toString(pid));
        } catch (AttachNotSupportedException | IOException e) {
            throw new IllegalStateException("could not attach to process " + pid + " to profile it: " + e.getMessage(),
                    e);
        }
        try {
            vm.loadAgentPath(library.toString(), command);
        } catch (AgentInitializationException e) {
            throw new IllegalStateException("async-profiler refused '" + command + "' (code " + e.returnValue()
                    + "); its reason is in the application's output"
                    + (event.equals("cpu") ? "; perf events may not be allowed here: --profile itimer needs no"
                    + " permission" : ""), e);
        } catch (AgentLoadException | IOException e) {
            throw new IllegalStateException("could not load async-profiler into process " + pid + ": "
                    + e.getMessage(), e);
        } finally {
            try {
                vm.detach();
            } catch (IOException ignored) {
                // the command has run; nothing to undo
            }
        }
    }
}
