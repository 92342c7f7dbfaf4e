package dev.imagebatch.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import dev.imagebatch.memory.InMemoryResultPublisher;
import dev.imagebatch.memory.InMemoryStatusStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

/**
 * After {@code close()}, a service on in-memory storage has left no thread, no open file and no
 * socket behind (storage-fs, storage-s3 and the examples' serve have their own).
 */
class CloseReleasesEverythingTest {

    @Test
    @EnabledOnOs(OS.LINUX)
    void closeLeavesNoThreadsFilesOrSockets() throws Exception {
        Leftovers.Found left = CloseCheck.run(() -> CloseCheck.Storage.of(new InMemoryStatusStore(),
                new InMemoryResultPublisher(), () -> { }), Leftovers.JVM_WIDE);

        assertThat(left.threads()).isEmpty();
        assertThat(left.files()).isNotPositive();
        assertThat(left.sockets()).isNotPositive();
    }
}
