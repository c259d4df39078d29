package org.rnn4j.simd;

/**
 * One of several independent parts of a job run by {@link Kernels#runParts(int, PartTask)}: e.g.
 * the recurrent loop of one block of batch rows, which needs nothing from the other blocks until
 * the loop ends. Implementations are created once and reused (a call allocates nothing); inside
 * {@link #run} use single-threaded kernels ({@code kernels.withThreads(1)}).
 */
@FunctionalInterface
public interface PartTask {
    /**
     * Does part {@code part} of {@code parts}.
     *
     * @param part  0 … parts − 1; part 0 runs on the calling thread
     * @param parts how many parts the job was cut into
     */
    void run(int part, int parts);
}
