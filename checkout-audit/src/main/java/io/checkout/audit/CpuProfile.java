package io.checkout.audit;

import java.io.PrintStream;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Where a profiled process spent its samples, read from async-profiler's collapsed stacks (one line a distinct stack:
 * its frames from the thread's outermost to the innermost, separated by {@code ;}, then the count), taken with the
 * {@code threads} option so that each stack starts with its thread ({@code [name tid=N]}).
 *
 * <p>Four views, each a share of all the samples: by thread (numbers in names folded, so a pool is one line; a
 * number that ends a word, as in {@code C2 CompilerThread} or {@code H2-serialization}, is a name); by
 * code, the innermost frame outside the JDK, named by its package's first two parts (the JDK's own frames count to
 * their caller; a stack without a Java frame is the JVM's own work: its collector, compiler and VM threads); the
 * samples whose innermost frame is inside the JVM under Java code (stack walks, allocation's slow path, exceptions'
 * stack traces), by the Java method that called into it; and the innermost Java methods.
 *
 * @param samples           all the samples
 * @param byThread          samples a thread (pool)
 * @param byCode            samples a package whose code was innermost
 * @param inTheJvmUnder     samples inside the JVM under Java code, by the innermost Java method
 * @param innermostMethods  samples whose innermost frame is this Java method
 */
public record CpuProfile(long samples, Map<String, Long> byThread, Map<String, Long> byCode,
                         Map<String, Long> inTheJvmUnder, Map<String, Long> innermostMethods) {

    /** The code of stacks without a Java frame. */
    static final String JVM_ONLY = "the JVM's own threads (collector, compiler, VM)";
    /** The code of stacks whose Java frames are all the JDK's. */
    static final String JDK_ONLY = "the JDK alone";

    private static final Pattern THREAD = Pattern.compile("^\\[(.*?)(?: tid=\\d+)?]$");
    private static final Pattern JAVA_FRAME = Pattern.compile("^[\\w$/.]+\\.[\\w$<>]+$");
    private static final Pattern DIGITS = Pattern.compile("(?<![A-Za-z])\\d+");
    private static final List<String> JDK = List.of("java/", "javax/", "jdk/", "sun/", "com/sun/");

    public static CpuProfile parse(String collapsed) {
        Map<String, Long> byThread = new HashMap<>();
        Map<String, Long> byCode = new HashMap<>();
        Map<String, Long> inTheJvm = new HashMap<>();
        Map<String, Long> innermost = new HashMap<>();
        long samples = 0;
        for (String line : collapsed.split("\n")) {
            int space = line.lastIndexOf(' ');
            if (space <= 0) {
                continue;
            }
            long count;
            try {
                count = Long.parseLong(line.substring(space + 1).trim());
            } catch (NumberFormatException notAStack) {
                continue;
            }
            String[] frames = line.substring(0, space).split(";");
            samples += count;
            int first = 0;
            var thread = THREAD.matcher(frames[0]);
            if (thread.matches()) {
                byThread.merge(DIGITS.matcher(thread.group(1)).replaceAll("N"), count, Long::sum);
                first = 1;
            } else {
                byThread.merge("?", count, Long::sum);
            }
            String code = null;
            String innermostJava = null;
            boolean javaInnermost = false;
            for (int i = frames.length - 1; i >= first; i--) {
                String frame = frames[i];
                if (!isJava(frame)) {
                    continue;
                }
                if (innermostJava == null) {
                    innermostJava = frame;
                    javaInnermost = i == frames.length - 1;
                }
                if (!isJdk(frame)) {
                    code = packageOf(frame);
                    break;
                }
            }
            byCode.merge(code != null ? code : innermostJava != null ? JDK_ONLY : JVM_ONLY, count, Long::sum);
            if (innermostJava != null) {
                String method = innermostJava.replace('/', '.');
                if (javaInnermost) {
                    innermost.merge(method, count, Long::sum);
                } else {
                    inTheJvm.merge(method, count, Long::sum);
                }
            }
        }
        return new CpuProfile(samples, byThread, byCode, inTheJvm, innermost);
    }

    /** A Java method ({@code org/h2/mvstore/Page.write}); not a thread, a native function or a library's path. */
    static boolean isJava(String frame) {
        return !frame.startsWith("/") && JAVA_FRAME.matcher(frame).matches();
    }

    private static boolean isJdk(String frame) {
        return JDK.stream().anyMatch(frame::startsWith);
    }

    /**
     * A frame's package, by its first two parts ({@code org.h2}, {@code org.springframework}); three where the
     * second is a code host ({@code com.github.kagkarlsson}); a class in no package is named by itself.
     */
    static String packageOf(String frame) {
        String type = frame.substring(0, frame.lastIndexOf('.'));
        String[] parts = type.split("/");
        if (parts.length == 1) {
            return type;
        }
        int keep = parts.length > 3 && List.of("github", "gitlab", "bitbucket").contains(parts[1]) ? 3 : 2;
        return String.join(".", List.of(parts).subList(0, Math.min(keep, parts.length - 1)));
    }

    /** The share of all samples, in percent. */
    public double percent(long count) {
        return samples == 0 ? 0 : count * 100.0 / samples;
    }

    /** The samples inside the JVM under Java code, in all. */
    public long inTheJvm() {
        return inTheJvmUnder.values().stream().mapToLong(Long::longValue).sum();
    }

    /**
     * Prints the four views, the largest {@code top} lines of each.
     *
     * @param cpuSecondsPerSample what a sample stands for (its interval), to put the profile's CPU beside the
     *                            measured one; 0 if the samples are not CPU time
     */
    public void print(PrintStream out, int top, double cpuSecondsPerSample) {
        out.printf(Locale.ROOT, "%,d samples%s%n", samples, cpuSecondsPerSample > 0
                ? String.format(Locale.ROOT, ", about %.1f s of CPU", samples * cpuSecondsPerSample) : "");
        section(out, "by thread (numbers in names folded):", byThread, top);
        section(out, "by code (the innermost frame outside the JDK; the JDK's count to their caller):", byCode, top);
        out.printf(Locale.ROOT, "inside the JVM under Java code: %.1f%%, by the Java method that called in:%n",
                percent(inTheJvm()));
        lines(out, inTheJvmUnder, top);
        section(out, "innermost Java methods:", innermostMethods, top);
    }

    private void section(PrintStream out, String title, Map<String, Long> counts, int top) {
        out.println(title);
        lines(out, counts, top);
    }

    private void lines(PrintStream out, Map<String, Long> counts, int top) {
        counts.entrySet().stream()
                .sorted(Map.Entry.<String, Long>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()))
                .limit(top)
                .forEach(e -> out.printf(Locale.ROOT, "  %5.1f%%  %s%n", percent(e.getValue()), e.getKey()));
    }
}
