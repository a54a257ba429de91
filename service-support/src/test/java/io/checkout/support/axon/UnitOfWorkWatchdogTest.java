package io.checkout.support.axon;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.axonframework.eventhandling.GenericEventMessage;
import org.axonframework.messaging.Message;
import org.axonframework.messaging.MessageHandlerInterceptor;
import org.axonframework.messaging.ResultMessage;
import org.axonframework.messaging.timeout.AxonTimeoutException;
import org.axonframework.messaging.timeout.TaskTimeoutSettings;
import org.axonframework.messaging.unitofwork.DefaultUnitOfWork;
import org.axonframework.messaging.unitofwork.UnitOfWork;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The project's watchdog around each unit of work, in place of Axon's (design.md #37). */
class UnitOfWorkWatchdogTest {

    private final UnitOfWorkWatchdog watchdog = new UnitOfWorkWatchdog(Duration.ofMillis(10));

    @AfterEach
    void stop() {
        watchdog.close();
        Thread.interrupted();
    }

    @Test
    void interruptsAUnitOfWorkPastItsTimeoutAndClearsTheInterruptAtItsEnd() {
        MessageHandlerInterceptor<Message<?>> interceptor = watchdog.interceptor("test",
                new TaskTimeoutSettings(200, 50, 50));
        ResultMessage<?> result = run(interceptor, () -> {
            Thread.sleep(10_000);
            return "never";
        });
        assertThat(result.isExceptional()).isTrue();
        assertThat(result.exceptionResult()).isInstanceOf(InterruptedException.class);
        assertThat(watchdog.interruptions()).isEqualTo(1);
        assertThat(watchdog.warnings()).isPositive();
        assertThat(Thread.currentThread().isInterrupted()).as("nothing left for the thread's next unit").isFalse();
        assertThat(watchdog.watched()).isZero();
    }

    @Test
    void anInterruptionThatTheHandlerSwallowedStillFailsTheUnitOfWork() {
        MessageHandlerInterceptor<Message<?>> interceptor = watchdog.interceptor("test",
                new TaskTimeoutSettings(100, -1, 1000));
        ResultMessage<?> result = run(interceptor, () -> {
            try {
                Thread.sleep(10_000);
            } catch (InterruptedException swallowed) {
                // as a handler that catches too much would
            }
            return "done";
        });
        assertThat(result.isExceptional()).isTrue();
        assertThat(result.exceptionResult()).isInstanceOf(AxonTimeoutException.class)
                .hasMessageContaining("test").hasMessageContaining("String");
        assertThat(Thread.currentThread().isInterrupted()).isFalse();
    }

    @Test
    void warnsAtTheThresholdAndAtEachIntervalWithoutATimeout() {
        MessageHandlerInterceptor<Message<?>> interceptor = watchdog.interceptor("test",
                new TaskTimeoutSettings(-1, 40, 40));
        ResultMessage<?> result = run(interceptor, () -> {
            Thread.sleep(300);
            return "done";
        });
        assertThat(result.isExceptional()).isFalse();
        assertThat(result.getPayload()).isEqualTo("done");
        assertThat(watchdog.warnings()).isBetween(3L, 8L);
        assertThat(watchdog.interruptions()).isZero();
    }

    @Test
    void watchesANestedUnitOfWorkAsPartOfItsRootAndAQuickOneNotAtAllOnceItEnds() {
        MessageHandlerInterceptor<Message<?>> interceptor = watchdog.interceptor("test",
                new TaskTimeoutSettings(60_000, 10_000, 1000));
        AtomicInteger watchedInside = new AtomicInteger(-1);
        ResultMessage<?> result = run(interceptor, () -> {
            DefaultUnitOfWork<Message<?>> nested = DefaultUnitOfWork.startAndGet(message());
            nested.execute(() -> {
                try {
                    interceptor.handle(nested, () -> {
                        watchedInside.set(watchdog.watched());
                        return null;
                    });
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            return "done";
        });
        assertThat(result.isExceptional()).isFalse();
        assertThat(watchedInside).hasValue(1);
        assertThat(watchdog.watched()).isZero();
        assertThat(watchdog.warnings() + watchdog.interruptions()).isZero();
    }

    @Test
    void settingsThatAskForNothingWatchNothing() {
        MessageHandlerInterceptor<Message<?>> interceptor = watchdog.interceptor("test",
                new TaskTimeoutSettings(-1, -1, 1000));
        AtomicInteger watchedInside = new AtomicInteger(-1);
        run(interceptor, () -> {
            watchedInside.set(watchdog.watched());
            return "done";
        });
        assertThat(watchedInside).hasValue(0);
    }

    private static ResultMessage<?> run(MessageHandlerInterceptor<Message<?>> interceptor,
                                        org.axonframework.messaging.InterceptorChain chain) {
        UnitOfWork<Message<?>> unitOfWork = DefaultUnitOfWork.startAndGet(message());
        return unitOfWork.executeWithResult(() -> interceptor.handle(unitOfWork, chain));
    }

    private static Message<?> message() {
        return GenericEventMessage.asEventMessage("payload");
    }
}
