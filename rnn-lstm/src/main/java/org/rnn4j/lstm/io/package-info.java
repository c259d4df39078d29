/**
 * Model files: the safetensors container ({@link org.rnn4j.lstm.io.SafeTensorsFile} to read and
 * check one, {@link org.rnn4j.lstm.io.SafeTensorsWriter} to write one) and atomic writes
 * ({@link org.rnn4j.lstm.io.AtomicWrite}). Saving and loading models with PyTorch's names builds
 * on these.
 */
package org.rnn4j.lstm.io;
