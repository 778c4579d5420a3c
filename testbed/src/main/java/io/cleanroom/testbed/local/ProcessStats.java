package io.cleanroom.testbed.local;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * What the operating system says a process holds, from Linux's {@code /proc}: resident memory,
 * threads, open file descriptors and, among them, sockets. A party that leaks threads, files or
 * ports shows it here across studies, whatever its own code reports.
 *
 * @param residentMb resident set size (VmRSS)
 * @param threads the process's threads
 * @param fileDescriptors open file descriptors, sockets included
 * @param sockets open sockets (listening, connected and half-closed)
 */
public record ProcessStats(double residentMb, int threads, int fileDescriptors, int sockets) {

  /** The figures of process {@code pid}, or empty ones where {@code /proc} cannot be read. */
  public static ProcessStats of(long pid) {
    Path proc = Path.of("/proc", Long.toString(pid));
    double rss = -1;
    int threads = -1;
    try {
      for (String line : Files.readAllLines(proc.resolve("status"))) {
        if (line.startsWith("VmRSS:")) {
          rss = Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024.0;
        } else if (line.startsWith("Threads:")) {
          threads = Integer.parseInt(line.replaceAll("[^0-9]", ""));
        }
      }
    } catch (IOException | NumberFormatException e) {
      return new ProcessStats(-1, -1, -1, -1);
    }
    int fds = 0;
    int sockets = 0;
    try (Stream<Path> entries = Files.list(proc.resolve("fd"))) {
      for (Path fd : (Iterable<Path>) entries::iterator) {
        fds++;
        try {
          if (Files.readSymbolicLink(fd).toString().startsWith("socket:")) {
            sockets++;
          }
        } catch (IOException closedMeanwhile) {
          fds--;
        }
      }
    } catch (IOException e) {
      return new ProcessStats(rss, threads, -1, -1);
    }
    return new ProcessStats(rss, threads, fds, sockets);
  }

  /** The figures as a JSON object. */
  public Map<String, Object> toMap() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("rss_mb", Math.round(residentMb * 10) / 10.0);
    m.put("threads", threads);
    m.put("fds", fileDescriptors);
    m.put("sockets", sockets);
    return m;
  }

  /**
   * Every party's figures, by party, each with {@code heap_after_gc_mb}: the Java heap in use right
   * after a full collection that this method asks the party's JVM for ({@link #heapAfterGcMb}).
   * Unlike the resident size, which grows as the JVM sizes its heap, this shows whether a party
   * keeps anything from one study to the next.
   */
  static Map<String, Object> of(List<Party> parties) {
    Map<String, Object> m = new LinkedHashMap<>();
    for (Party p : parties) {
      Map<String, Object> figures = of(p.pid()).toMap();
      figures.put("heap_after_gc_mb", Math.round(heapAfterGcMb(p.pid()) * 10) / 10.0);
      m.put(p.name(), figures);
    }
    return m;
  }

  private static final Pattern HEAP_USED = Pattern.compile("heap\\s+total \\d+K, used (\\d+)K");

  /**
   * The Java heap JVM {@code pid} uses right after a full collection, in MB, through the JDK's
   * {@code jcmd} ({@code GC.run}, then {@code GC.heap_info}); -1 where {@code jcmd} is missing or
   * does not answer.
   */
  static double heapAfterGcMb(long pid) {
    Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
    if (!Files.isExecutable(jcmd)) {
      return -1;
    }
    try {
      run(jcmd, pid, "GC.run");
      Matcher m = HEAP_USED.matcher(run(jcmd, pid, "GC.heap_info"));
      return m.find() ? Long.parseLong(m.group(1)) / 1024.0 : -1;
    } catch (IOException e) {
      return -1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return -1;
    }
  }

  private static String run(Path jcmd, long pid, String command)
      throws IOException, InterruptedException {
    Process p =
        new ProcessBuilder(jcmd.toString(), Long.toString(pid), command)
            .redirectErrorStream(true)
            .start();
    byte[] out = p.getInputStream().readAllBytes();
    if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
      p.destroyForcibly();
      throw new IOException("jcmd " + pid + " " + command + " failed");
    }
    return new String(out, StandardCharsets.UTF_8);
  }
}
