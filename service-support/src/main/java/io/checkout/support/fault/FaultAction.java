package io.checkout.support.fault;

/** What an injected fault does where it fires. */
public enum FaultAction {
    /** Fail with a transient error; nothing is done. The sender may retry. */
    FAIL,
    /** Fail with an error that will not pass (a broken rule); nothing is done. */
    FAIL_PERMANENT,
    /** Wait {@code delayMillis}, then go on. */
    DELAY,
    /** Lose the message: nothing is done, and no failure is reported either. */
    DROP,
    /** Handle the message, but lose its reply: the sender hears "done" even where handling failed. */
    DROP_REPLY,
    /** Handle the message twice, as a redelivery would. */
    DUPLICATE,
    /** Halt the process ({@code Runtime.halt}) once the message is handled, before its transaction commits. */
    CRASH_BEFORE_COMMIT,
    /** Halt the process right after the message's transaction has committed, before anything else happens. */
    CRASH_AFTER_COMMIT
}
