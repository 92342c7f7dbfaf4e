package dev.imagebatch.fs;

import dev.imagebatch.reliability.KillPoint;
import dev.imagebatch.reliability.KillScenario;
import dev.imagebatch.reliability.KillScenario.KillPlan;
import dev.imagebatch.spi.ResultPublisher;
import dev.imagebatch.spi.StatusStore;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * SIGKILL at seeded points across fetch, encode, publish, CSV write and webhook delivery, with file
 * storage, then {@code resumeUnfinished()} in a fresh service: see {@link KillScenario} for what is
 * checked. The normal run covers every {@link KillPoint} once (seeds 1 to 11); the
 * {@code reliability-long} profile runs {@code imagebatch.killSeeds} seeds.
 */
@EnabledOnOs(OS.LINUX)
class SeededKillTest {

    @TempDir
    Path temp;

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("dev.imagebatch.reliability.KillScenario#seeds")
    void everyAcceptedRequestCompletesAfterAKillAtTheSeededPoint(long seed) throws Exception {
        Path root = temp.resolve("data");
        Files.createDirectories(root);
        try (KillScenario scenario = new KillScenario(KillPlan.of(seed))) {
            KillScenario.Outcome outcome = scenario.run(temp, new FileStorage(root));
            System.out.println("fs kill: " + outcome);
        }
    }

    /** The data directory as {@link KillScenario} sees it. */
    private record FileStorage(Path root) implements KillScenario.Storage {

        @Override
        public List<String> childCommand() {
            return List.of(KillPointFsChild.class.getName(), root.toString());
        }

        @Override
        public StatusStore openStore() throws IOException {
            return FileStatusStore.open(root);
        }

        @Override
        public ResultPublisher publisher() throws IOException {
            return FileResultPublisher.create(root);
        }

        @Override
        public String keyOf(URI outputUrl) {
            return root.relativize(Path.of(outputUrl)).toString().replace('\\', '/');
        }

        @Override
        public Set<String> keysUnder(String keyPrefix) throws IOException {
            Path dir = root.resolve(keyPrefix);
            if (!Files.isDirectory(dir)) {
                return Set.of();
            }
            try (Stream<Path> files = Files.walk(dir)) {
                return files.filter(Files::isRegularFile)
                        .map(p -> root.relativize(p).toString().replace('\\', '/'))
                        .collect(Collectors.toSet());
            }
        }

        @Override
        public List<String> temporaryLeftovers() throws IOException {
            try (Stream<Path> files = Files.walk(root)) {
                return files.filter(Files::isRegularFile)
                        .filter(p -> AtomicFiles.isTempName(p.getFileName().toString())
                                || p.getFileName().toString().endsWith(".tmp"))
                        .map(Path::toString)
                        .toList();
            }
        }
    }
}
