package io.checkout.support.fault;

import java.time.Duration;
import java.util.Optional;
import org.axonframework.commandhandling.CommandMessage;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.messaging.InterceptorChain;
import org.axonframework.messaging.MessageHandlerInterceptor;
import org.axonframework.messaging.unitofwork.UnitOfWork;

/** Applies fault rules where commands and events are handled. */
public final class FaultInterceptors {

    private FaultInterceptors() {
    }

    /** For the command bus: the point is the command's simple type name. */
    public static MessageHandlerInterceptor<CommandMessage<?>> commands(FaultInjector faults) {
        return (unitOfWork, chain) -> apply(faults, unitOfWork.getMessage().getPayloadType().getSimpleName(),
                unitOfWork, chain);
    }

    /** For an event processor: the point is {@code <processor>:<event type>}. */
    public static MessageHandlerInterceptor<EventMessage<?>> events(FaultInjector faults, String processor) {
        return (unitOfWork, chain) -> apply(faults,
                processor + ":" + unitOfWork.getMessage().getPayloadType().getSimpleName(), unitOfWork, chain);
    }

    private static Object apply(FaultInjector faults, String point, UnitOfWork<?> unitOfWork,
                                InterceptorChain chain) throws Exception {
        Optional<FaultRule> fault = faults.fire(point, unitOfWork.getMessage().getPayload());
        if (fault.isEmpty()) {
            return chain.proceed();
        }
        FaultRule rule = fault.get();
        switch (rule.action()) {
            case FAIL -> throw new InjectedFaultException(point);
            case FAIL_PERMANENT -> throw new IllegalStateException("Injected permanent fault at " + point);
            case DELAY -> {
                Thread.sleep(Duration.ofMillis(rule.delayMillis()).toMillis());
                return chain.proceed();
            }
            case DROP -> {
                return null;
            }
            case DROP_REPLY -> {
                try {
                    chain.proceed();
                } catch (Exception lost) {
                    // the failure happened, and its report is lost on the way back
                }
                return null;
            }
            case DUPLICATE -> {
                // This interceptor is the innermost: a second proceed() calls the handler again, in the same unit
                // of work, which sees the first call's effects, as a redelivered message would.
                chain.proceed();
                return chain.proceed();
            }
            case CRASH_BEFORE_COMMIT -> {
                unitOfWork.onPrepareCommit(u -> FaultInjector.crash(point + " before commit"));
                return chain.proceed();
            }
            case CRASH_AFTER_COMMIT -> {
                unitOfWork.afterCommit(u -> FaultInjector.crash(point + " after commit"));
                return chain.proceed();
            }
            default -> throw new IllegalStateException("Unknown fault action " + rule.action());
        }
    }
}
