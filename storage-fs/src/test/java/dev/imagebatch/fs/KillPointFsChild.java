package dev.imagebatch.fs;

import dev.imagebatch.reliability.KillPointChild;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * The process {@link SeededKillTest} kills: {@link KillPointChild} over file storage.
 *
 * <p>Arguments: data directory, then {@link KillPointChild}'s.
 */
public final class KillPointFsChild {

    private KillPointFsChild() {
    }

    public static void main(String[] args) throws Exception {
        Path root = Path.of(args[0]);
        KillPointChild.run(FileStatusStore.open(root), FileResultPublisher.create(root),
                Arrays.copyOfRange(args, 1, args.length));
    }
}
