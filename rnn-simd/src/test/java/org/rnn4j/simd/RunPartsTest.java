package org.rnn4j.simd;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** {@link Kernels#runParts}: every part once, concurrently on a parallel view, failures surfaced. */
class RunPartsTest {

    @Test
    void everyPartRunsOnceOnTheSingleThreadedKernels() {
        for (Kernels k : new Kernels[] {KernelProvider.scalar(), KernelProvider.get()}) {
            for (int parts : new int[] {1, 2, 3, 7}) {
                int[] seen = new int[parts];
                k.runParts(parts, (part, total) -> {
                    assertEquals(parts, total);
                    seen[part]++;
                });
                int[] once = new int[parts];
                java.util.Arrays.fill(once, 1);
                assertArrayEquals(once, seen, k.name() + " with " + parts + " parts");
            }
        }
    }

    /** Both parts must be inside run() at the same time: each waits for the other. */
    @Test
    void partsRunConcurrentlyOnTheWorkers() {
        Kernels two = KernelProvider.scalar().withThreads(2);
        CountDownLatch both = new CountDownLatch(2);
        String[] threads = new String[2];
        two.runParts(2, (part, parts) -> {
            threads[part] = Thread.currentThread().getName();
            both.countDown();
            try {
                assertTrue(both.await(10, TimeUnit.SECONDS), "part " + part + " never met the other");
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        assertEquals(Thread.currentThread().getName(), threads[0]);
        assertNotEquals(threads[0], threads[1]);
        assertTrue(threads[1].startsWith("rnn4j-gemm-"), threads[1]);
    }

    @Test
    void morePartsThanThreadsRunOneAfterAnother() {
        Kernels two = KernelProvider.scalar().withThreads(2);
        AtomicInteger runs = new AtomicInteger();
        String caller = Thread.currentThread().getName();
        two.runParts(5, (part, parts) -> {
            assertEquals(caller, Thread.currentThread().getName());
            runs.incrementAndGet();
        });
        assertEquals(5, runs.get());
    }

    @Test
    void theLowestFailingPartsExceptionReachesTheCaller() {
        for (Kernels k : new Kernels[] {KernelProvider.scalar(), KernelProvider.scalar().withThreads(2)}) {
            AtomicInteger runs = new AtomicInteger();
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> k.runParts(2, (part, parts) -> {
                runs.incrementAndGet();
                throw new IllegalStateException("part " + part);
            }));
            assertEquals("part 0", e.getMessage(), k.name());
            assertEquals(2, runs.get(), k.name() + ": every part ran");
            AtomicInteger after = new AtomicInteger(); // the view still works
            k.runParts(2, (part, parts) -> after.incrementAndGet());
            assertEquals(2, after.get());
        }
        Kernels two = KernelProvider.scalar().withThreads(2);
        IllegalArgumentException worker = assertThrows(IllegalArgumentException.class, () -> two.runParts(2,
                (part, parts) -> {
                    if (part == 1) {
                        throw new IllegalArgumentException("worker part");
                    }
                }));
        assertEquals("worker part", worker.getMessage());
    }

    @Test
    void badArguments() {
        Kernels k = KernelProvider.scalar().withThreads(2);
        assertTrue(assertThrows(IllegalArgumentException.class, () -> k.runParts(0, (p, n) -> { }))
                .getMessage().contains("parts must be >= 1, got 0"));
        assertThrows(NullPointerException.class, () -> k.runParts(2, null));
        assertThrows(IllegalArgumentException.class, () -> KernelProvider.scalar().runParts(-1, (p, n) -> { }));
    }
}
