package io.cleanroom.testbed.local;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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

  /** Every party's figures, by party. */
  static Map<String, Object> of(List<Party> parties) {
    Map<String, Object> m = new LinkedHashMap<>();
    for (Party p : parties) {
      m.put(p.name(), of(p.pid()).toMap());
    }
    return m;
  }
}
