package io.checkout.audit;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class CpuProfileTest {

    /** Stacks as async-profiler collapses them with its threads option: thread first, innermost frame last. */
    private static final String STACKS = String.join("\n",
            "[http-nio-8080-exec-1 tid=101];java/lang/Thread.run;org/apache/tomcat/X.run;org/h2/command/Command.execute;"
                    + "org/h2/mvstore/Page.write;java/util/Arrays.copyOf 30",
            "[http-nio-8080-exec-12 tid=112];java/lang/Thread.run;org/apache/tomcat/X.run;org/h2/command/Command.execute 10",
            "[command-3 tid=7];java/lang/Thread.run;org/axonframework/Y.handle;java/lang/Thread.getStackTrace;"
                    + "JVM_GetStackTrace;java_lang_Throwable::fill_in_stack_trace 15",
            "[command-4 tid=8];java/lang/Thread.run;com/github/kagkarlsson/scheduler/Z.poll 5",
            "[GC Thread#0 tid=3];start_thread;G1ParEvacuateFollowersClosure::do_void;SpinPause 25",
            "[main tid=1];java/lang/Thread.run;java/util/HashMap.get 5",
            "[worker tid=9];Busy.spin 7",
            "[C2 CompilerThre tid=10];start_thread;C2Compiler::compile_method 2",
            "[H2-serialization tid=11];java/lang/Thread.run;org/h2/mvstore/MVStore.serialize 1",
            "",
            "not a stack line");

    private final CpuProfile profile = CpuProfile.parse(STACKS);

    @Test
    void countsEverySampleOnce() {
        assertThat(profile.samples()).isEqualTo(100);
        assertThat(profile.byThread().values().stream().mapToLong(Long::longValue).sum()).isEqualTo(100);
        assertThat(profile.byCode().values().stream().mapToLong(Long::longValue).sum()).isEqualTo(100);
    }

    @Test
    void foldsThePoolsNumbersIntoOneLine() {
        assertThat(profile.byThread()).containsEntry("http-nio-N-exec-N", 40L).containsEntry("command-N", 20L)
                .containsEntry("GC Thread#N", 25L).containsEntry("main", 5L)
                .containsEntry("C2 CompilerThre", 2L).containsEntry("H2-serialization", 1L);
    }

    @Test
    void countsTheJdksFramesToTheirCallerAndTheJvmsThreadsApart() {
        assertThat(profile.byCode())
                .containsEntry("org.axonframework", 15L)
                .containsEntry("com.github.kagkarlsson", 5L)
                .containsEntry(CpuProfile.JVM_ONLY, 27L)
                .containsEntry(CpuProfile.JDK_ONLY, 5L)
                .containsEntry("Busy", 7L)
                .containsEntry("org.h2", 41L);
    }

    @Test
    void namesTheJavaMethodUnderWorkInsideTheJvm() {
        assertThat(profile.inTheJvmUnder()).containsOnly(java.util.Map.entry("java.lang.Thread.getStackTrace", 15L));
        assertThat(profile.percent(profile.inTheJvm())).isEqualTo(15.0);
        assertThat(profile.innermostMethods())
                .containsEntry("java.util.Arrays.copyOf", 30L)
                .containsEntry("org.h2.command.Command.execute", 10L)
                .doesNotContainKey("java.lang.Thread.getStackTrace");
    }

    @Test
    void tellsJavaFramesFromNativeOnes() {
        assertThat(CpuProfile.isJava("org/h2/mvstore/Page.<init>")).isTrue();
        assertThat(CpuProfile.isJava("org/h2/X$$Lambda$12.0x0000000800c4b8.apply")).isTrue();
        assertThat(CpuProfile.isJava("G1CollectedHeap::allocate_new_tlab")).isFalse();
        assertThat(CpuProfile.isJava("start_thread")).isFalse();
        assertThat(CpuProfile.isJava("/usr/lib/x86_64-linux-gnu/libc.so.6")).isFalse();
        assertThat(CpuProfile.isJava("[unknown]")).isFalse();
    }

    @Test
    void printsTheLargestFirst() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        profile.print(new PrintStream(bytes, true, StandardCharsets.UTF_8), 2, 0.01);
        String printed = bytes.toString(StandardCharsets.UTF_8);
        assertThat(printed).startsWith("100 samples, about 1.0 s of CPU");
        assertThat(printed).containsSubsequence("by code", " 41.0%  org.h2", " 27.0%  " + CpuProfile.JVM_ONLY,
                "inside the JVM under Java code: 15.0%", "innermost Java methods:", " 30.0%  java.util.Arrays.copyOf");
        assertThat(printed).doesNotContain("com.github.kagkarlsson");
    }
}
