package org.rnn4j.bench.stability;

/** What the measurements say about a claim. */
public enum Verdict {
    HELD, DID_NOT_HOLD, NOT_RUN;

    /** The Markdown cell. */
    public String cell() {
        return switch (this) {
            case HELD -> "held ✅";
            case DID_NOT_HOLD -> "**did not hold** ❌";
            case NOT_RUN -> "not run";
        };
    }
}
