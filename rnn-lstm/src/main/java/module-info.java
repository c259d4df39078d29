/**
 * rnn4j's recurrent models: vanilla RNN, LSTM and GRU with exact BPTT, streaming inference and
 * gradient diagnostics, on the kernels of {@code org.rnn4j.simd}.
 */
module org.rnn4j.lstm {
    requires transitive org.rnn4j.api;
    requires transitive org.rnn4j.simd;
    requires org.slf4j;

    exports org.rnn4j.lstm;
}
