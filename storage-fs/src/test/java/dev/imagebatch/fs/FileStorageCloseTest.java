package dev.imagebatch.fs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.imagebatch.reliability.CloseCheck;
import dev.imagebatch.reliability.Leftovers;
import dev.imagebatch.spi.ResultPublisher;
import dev.imagebatch.spi.StatusStore;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

/** A service on file storage, closed with its store, leaves no thread, open file (lock included) or socket. */
class FileStorageCloseTest {

    @TempDir
    Path root;

    @Test
    @EnabledOnOs(OS.LINUX)
    void closeLeavesNoThreadsFilesOrSockets() throws Exception {
        Leftovers.Found left = CloseCheck.run(() -> {
            FileStatusStore store = FileStatusStore.open(root);
            FileResultPublisher publisher = FileResultPublisher.create(root);
            return new CloseCheck.Storage() {
                @Override
                public StatusStore store() {
                    return store;
                }

                @Override
                public ResultPublisher publisher() {
                    return publisher;
                }

                @Override
                public void close() throws Exception {
                    store.close();
                }
            };
        }, Leftovers.JVM_WIDE);

        assertThat(left.threads()).isEmpty();
        assertThat(left.files()).isNotPositive();
        assertThat(left.sockets()).isNotPositive();
    }
}
