package dev.imagebatch.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import dev.imagebatch.memory.InMemoryResultPublisher;
import dev.imagebatch.memory.InMemoryStatusStore;
import dev.imagebatch.spi.ResultPublisher;
import dev.imagebatch.spi.StatusStore;
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
        Leftovers.Found left = CloseCheck.run(() -> new CloseCheck.Storage() {
            private final InMemoryStatusStore store = new InMemoryStatusStore();
            private final InMemoryResultPublisher publisher = new InMemoryResultPublisher();

            @Override
            public StatusStore store() {
                return store;
            }

            @Override
            public ResultPublisher publisher() {
                return publisher;
            }

            @Override
            public void close() {
                // nothing owned
            }
        }, Leftovers.JVM_WIDE);

        assertThat(left.threads()).isEmpty();
        assertThat(left.files()).isNotPositive();
        assertThat(left.sockets()).isNotPositive();
    }
}
