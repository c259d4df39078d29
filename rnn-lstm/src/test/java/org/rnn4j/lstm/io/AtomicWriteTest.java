package org.rnn4j.lstm.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link AtomicWrite}: new file, replacement, and failures that must leave the old file and no temp file. */
class AtomicWriteTest {
    @TempDir
    Path dir;

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** The folder's file names, sorted. */
    private List<String> listing() throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    /** A content that writes the first half of {@code data}, then throws {@code failure}. */
    private static AtomicWrite.Content halfThen(byte[] data, Exception failure) {
        return channel -> {
            ByteBuffer b = ByteBuffer.wrap(data, 0, data.length / 2);
            while (b.hasRemaining()) {
                channel.write(b);
            }
            if (failure instanceof IOException io) {
                throw io;
            }
            throw (RuntimeException) failure;
        };
    }

    @Test
    void writesANewFile() throws IOException {
        Path target = dir.resolve("model.safetensors");
        byte[] data = bytes("hello, model");
        AtomicWrite.write(target, data);
        assertArrayEquals(data, Files.readAllBytes(target));
        assertEquals(List.of("model.safetensors"), listing(), "no temp file left");
    }

    @Test
    void writesWhatTheContentWrites() throws IOException {
        Path target = dir.resolve("c.bin");
        AtomicWrite.write(target, channel -> {
            channel.write(ByteBuffer.wrap(bytes("ab")));
            channel.write(ByteBuffer.wrap(bytes("cd")));
        });
        assertArrayEquals(bytes("abcd"), Files.readAllBytes(target));
        assertEquals(List.of("c.bin"), listing());
    }

    @Test
    void replacesAnExistingFile() throws IOException {
        Path target = dir.resolve("model.safetensors");
        Files.write(target, bytes("a much longer old content that must disappear entirely"));
        byte[] data = bytes("new");
        AtomicWrite.write(target, data);
        assertArrayEquals(data, Files.readAllBytes(target), "content replaced, not overwritten in place");
        assertEquals(List.of("model.safetensors"), listing());
    }

    @Test
    void diskFullHalfwayKeepsTheOldFileAndLeavesNoTempFile() throws IOException {
        Path target = dir.resolve("model.safetensors");
        byte[] old = new SafeTensorsWriter().add("w", new long[] {3}, new float[] {1, 2, 3}).toBytes();
        Files.write(target, old);
        IOException full = new IOException("No space left on device");
        IOException thrown = assertThrows(IOException.class,
                () -> AtomicWrite.write(target, halfThen(new byte[4096], full)));
        assertSame(full, thrown, "the content's exception is what the caller sees");
        assertArrayEquals(old, Files.readAllBytes(target), "previous file intact, byte-identical");
        assertEquals(List.of("model.safetensors"), listing(), "no .model.safetensors.*.tmp left");
    }

    @Test
    void runtimeExceptionHalfwayKeepsTheOldFileAndLeavesNoTempFile() throws IOException {
        Path target = dir.resolve("model.safetensors");
        byte[] old = bytes("old content");
        Files.write(target, old);
        IllegalStateException bug = new IllegalStateException("bug in the writer");
        IllegalStateException thrown = assertThrows(IllegalStateException.class,
                () -> AtomicWrite.write(target, halfThen(new byte[100], bug)));
        assertSame(bug, thrown);
        assertArrayEquals(old, Files.readAllBytes(target));
        assertEquals(List.of("model.safetensors"), listing());
    }

    @Test
    void failureOnANewFileCreatesNothing() throws IOException {
        Path target = dir.resolve("fresh.bin");
        assertThrows(IOException.class,
                () -> AtomicWrite.write(target, halfThen(new byte[10], new IOException("No space left on device"))));
        assertFalse(Files.exists(target));
        assertEquals(List.of(), listing());
    }

    @Test
    void missingFolderIsAnIOExceptionAndCreatesNothing() throws IOException {
        Path missing = dir.resolve("no").resolve("such");
        Path target = missing.resolve("model.safetensors");
        assertThrows(IOException.class, () -> AtomicWrite.write(target, bytes("x")));
        assertFalse(Files.exists(dir.resolve("no")), "no folder created");
        assertEquals(List.of(), listing());
    }

    @Test
    void writerWriteGoesThroughAtomicWrite() throws IOException {
        Path target = dir.resolve("m.safetensors");
        Files.write(target, bytes("old"));
        SafeTensorsWriter w = new SafeTensorsWriter().add("a", new long[] {2}, new float[] {1, -1});
        w.write(target);
        assertArrayEquals(w.toBytes(), Files.readAllBytes(target));
        assertEquals(List.of("m.safetensors"), listing());
        assertTrue(SafeTensorsFile.read(target).has("a"));
    }

    /** A new file gets rw-r--r--, a replaced one keeps its permissions (not the temporary file's owner-only ones). */
    @Test
    void permissionsAreTheUsualOnesOrKept() throws IOException {
        Path fresh = dir.resolve("fresh.bin");
        AtomicWrite.write(fresh, new byte[] {1});
        org.junit.jupiter.api.Assumptions.assumeTrue(
                Files.getFileStore(fresh).supportsFileAttributeView(java.nio.file.attribute.PosixFileAttributeView.class));
        assertEquals("rw-r--r--", java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(fresh)));
        Files.setPosixFilePermissions(fresh, java.nio.file.attribute.PosixFilePermissions.fromString("rw-rw----"));
        AtomicWrite.write(fresh, new byte[] {2});
        assertEquals("rw-rw----", java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(fresh)));
    }
}
