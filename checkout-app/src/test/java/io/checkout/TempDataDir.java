package io.checkout;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.springframework.test.context.DynamicPropertyRegistry;

/**
 * A database of its own for each test class's Spring context: contexts that Spring caches side by side cannot share
 * one H2 file, which the first to open it locks.
 */
public final class TempDataDir {

    private TempDataDir() {
    }

    /** Registers a new temporary folder, named after {@code name}, as {@code checkout.data-dir}; returns it. */
    public static Path register(DynamicPropertyRegistry registry, String name) {
        try {
            Path dir = Files.createTempDirectory(name);
            registry.add("checkout.data-dir", dir::toString);
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
