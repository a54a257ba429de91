package io.checkout.support.fault;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.axonframework.commandhandling.CommandBus;
import org.axonframework.commandhandling.CommandMessage;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.messaging.InterceptorChain;
import org.axonframework.messaging.MessageHandlerInterceptor;
import org.axonframework.messaging.unitofwork.UnitOfWork;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Applies fault rules where commands and events are handled. */
public final class FaultInterceptors {

    private FaultInterceptors() {
    }

    private static final Logger log = LoggerFactory.getLogger(FaultInterceptors.class);

    /** Marks a command delivered again by a DUPLICATE fault, which no fault rule applies to. */
    static final String REDELIVERED = "fault.redelivered";

    /**
     * For the command bus: the point is the command's simple type name. A DUPLICATE command is delivered again,
     * once its first delivery has committed, on {@code redeliverTo}, in a unit of work of its own: as a command bus
     * that delivers at least once would, after a reply was lost. (Handling it twice in one unit of work, as events
     * are, is something no command bus does, and a command that creates its aggregate, handled by a constructor,
     * cannot be: Axon refuses a second aggregate with the same id in one unit of work.) The sender has the first
     * delivery's result; the second's is logged.
     */
    public static MessageHandlerInterceptor<CommandMessage<?>> commands(FaultInjector faults, CommandBus redeliverTo) {
        return (unitOfWork, chain) -> {
            CommandMessage<?> command = unitOfWork.getMessage();
            if (command.getMetaData().containsKey(REDELIVERED)) {
                return chain.proceed();
            }
            String point = command.getPayloadType().getSimpleName();
            Optional<FaultRule> fault = faults.fire(point, command.getPayload());
            if (fault.isPresent() && fault.get().action() == FaultAction.DUPLICATE) {
                unitOfWork.afterCommit(u -> redeliver(redeliverTo, command, point));
                return chain.proceed();
            }
            return apply(fault, point, unitOfWork, chain);
        };
    }

    private static void redeliver(CommandBus bus, CommandMessage<?> command, String point) {
        bus.dispatch(command.andMetaData(Map.of(REDELIVERED, true)), (message, result) -> {
            if (result.isExceptional()) {
                log.info("Fault DUPLICATE at {}: delivered again, and refused: {}", point,
                        result.exceptionResult().toString());
            } else {
                log.info("Fault DUPLICATE at {}: delivered again", point);
            }
        });
    }

    /**
     * For an event processor: the point is {@code <processor>:<event type>}. A DUPLICATE event is handled twice in
     * its unit of work, the second time seeing the first's effects, as a processor that handles it again would.
     */
    public static MessageHandlerInterceptor<EventMessage<?>> events(FaultInjector faults, String processor) {
        return (unitOfWork, chain) -> {
            String point = processor + ":" + unitOfWork.getMessage().getPayloadType().getSimpleName();
            return apply(faults.fire(point, unitOfWork.getMessage().getPayload()), point, unitOfWork, chain);
        };
    }

    private static Object apply(Optional<FaultRule> fault, String point, UnitOfWork<?> unitOfWork,
                                InterceptorChain chain) throws Exception {
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
                // An event's (a command's is delivered again, above). This interceptor is the innermost: a second
                // proceed() calls the handler again, in the same unit of work, which sees the first call's effects.
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
