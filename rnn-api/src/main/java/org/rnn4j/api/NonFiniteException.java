package org.rnn4j.api;

/**
 * A NaN or infinity appeared in a forward or backward pass. Says where: the parameter or state
 * ({@link #what()}) and the time step ({@link #step()}, −1 when not tied to a step).
 */
public final class NonFiniteException extends ArithmeticException {
    private static final long serialVersionUID = 1L;

    /** @serial */
    private final String what;
    /** @serial */
    private final int step;

    public NonFiniteException(String what, int step, String detail) {
        super("non-finite value in " + what + (step >= 0 ? " at time step t=" + step : "") + ": " + detail);
        this.what = what;
        this.step = step;
    }

    /** The parameter, gradient or state that holds the value. */
    public String what() {
        return what;
    }

    /** The time step where it first appeared, or −1. */
    public int step() {
        return step;
    }
}
