/**
 * rnn4j's public API: what users code against. No kernels and no Vector API here.
 */
module org.rnn4j.api {
    exports org.rnn4j.api;
    exports org.rnn4j.api.diagnostics;
}
