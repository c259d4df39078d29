/**
 * rnn4j's recurrent models: vanilla RNN and LSTM (with and without forget gate), forward, exact
 * and truncated BPTT, initialisers, optimizers and the trainer, on the kernels of
 * {@code org.rnn4j.simd}.
 */
module org.rnn4j.lstm {
    requires transitive org.rnn4j.api;
    requires transitive org.rnn4j.simd;
    requires org.slf4j;

    exports org.rnn4j.lstm;
    exports org.rnn4j.lstm.tasks;
    exports org.rnn4j.lstm.io;
}
