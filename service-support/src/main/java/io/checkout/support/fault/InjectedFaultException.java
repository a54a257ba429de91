package io.checkout.support.fault;

/** A failure made on purpose by a fault rule; transient, so whoever sent the message may retry. */
public class InjectedFaultException extends RuntimeException {

    public InjectedFaultException(String point) {
        super("Injected fault at " + point);
    }
}
