package dev.imagebatch.fs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.imagebatch.reliability.CloseCheck;
import dev.imagebatch.reliability.Leftovers;
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
            return CloseCheck.Storage.of(store, FileResultPublisher.create(root), store);
        }, Leftovers.JVM_WIDE);

        assertThat(left.threads()).isEmpty();
        assertThat(left.files()).isNotPositive();
        assertThat(left.sockets()).isNotPositive();
    }
}
