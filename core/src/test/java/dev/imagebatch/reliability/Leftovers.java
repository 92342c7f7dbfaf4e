package dev.imagebatch.reliability;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Threads, open files and sockets of this JVM (Linux: {@code /proc/self/fd}), to show that closing
 * something released what it had. Take a {@link #snapshot()} once the code under test has run once
 * (loading classes opens jar files for good), run it again, close it, then {@link #since} tells what
 * is still there.
 *
 * <p>Threads are compared by identity. Pools shared by the whole JVM that no closeable owns are
 * not counted: OkHttp's task runner (idle threads end by themselves after 60 s), the common
 * fork-join pool and the JDK's process reaper.
 */
public final class Leftovers {

    /** Threads that belong to the JVM or to a library as a whole, never to one service. */
    public static final Predicate<Thread> JVM_WIDE = t -> t.getName().startsWith("OkHttp TaskRunner")
            || t.getName().startsWith("ForkJoinPool.commonPool") || t.getName().equals("process reaper");

    /** What was open at one moment. */
    public record Snapshot(Set<Thread> threads, long files, long sockets) {
    }

    /** What is open now that was not in the snapshot. */
    public record Found(List<String> threads, long files, long sockets) {

        public boolean none() {
            return threads.isEmpty() && files <= 0 && sockets <= 0;
        }

        @Override
        public String toString() {
            return threads.size() + " new thread(s) " + threads + ", " + files + " more open file descriptor(s) of which "
                    + sockets + " socket(s)";
        }
    }

    private Leftovers() {
    }

    public static Snapshot snapshot() throws IOException {
        return new Snapshot(liveThreads(), descriptors(d -> true), descriptors(Leftovers::isSocket));
    }

    /**
     * What is open now beyond {@code before}, ignoring threads {@code ignored} matches; waits up to
     * 10 s for it to be nothing (threads and sockets may take a moment to end after close).
     */
    public static Found since(Snapshot before, Predicate<Thread> ignored) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (true) {
            List<String> threads = liveThreads().stream()
                    .filter(t -> !before.threads().contains(t))
                    .filter(ignored.negate())
                    .map(Thread::getName)
                    .sorted()
                    .toList();
            Found found = new Found(threads, descriptors(d -> true) - before.files(),
                    descriptors(Leftovers::isSocket) - before.sockets());
            if (found.none() || System.nanoTime() > deadline) {
                return found;
            }
            Thread.sleep(50);
        }
    }

    private static Set<Thread> liveThreads() {
        return Thread.getAllStackTraces().keySet().stream().filter(Thread::isAlive).collect(Collectors.toSet());
    }

    private static long descriptors(Predicate<Path> kind) throws IOException {
        List<Path> fds = new ArrayList<>();
        try (Stream<Path> list = Files.list(Path.of("/proc/self/fd"))) {
            list.forEach(fds::add);
        }
        return fds.stream().filter(kind).count();
    }

    private static boolean isSocket(Path fd) {
        try {
            return Files.readSymbolicLink(fd).toString().startsWith("socket:");
        } catch (IOException e) {
            return false; // closed while listing
        }
    }
}
