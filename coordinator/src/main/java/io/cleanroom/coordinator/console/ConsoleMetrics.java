package io.cleanroom.coordinator.console;

import io.cleanroom.coordinator.study.StudyBoard;
import io.cleanroom.protocol.wire.v1.PhaseSummary;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryUsage;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The coordinator's metrics in the Prometheus text exposition format, served at {@code /metrics}:
 *
 * <ul>
 *   <li>{@code cleanroom_studies{state}}: studies on the board per state;
 *   <li>{@code cleanroom_connected_nodes}: nodes with an open control session;
 *   <li>{@code cleanroom_phase_progress{study,phase}}: each phase's progress 0..1;
 *   <li>{@code cleanroom_phase_seconds{study,phase}}: a phase's wall time (from the study's summary
 *       once it ended, until then from the board);
 *   <li>{@code cleanroom_phase_bytes_sent{study,phase,party}}: protocol bytes each party sent in a
 *       phase, from the summary;
 *   <li>{@code cleanroom_phase_count{study,phase,name}}: the sizes the coordinator learnt in a
 *       phase (e.g. rows, handles, edges), from the summary;
 *   <li>{@code cleanroom_phase_peak_heap_bytes{study,phase,party}}: each node's peak heap;
 *   <li>{@code cleanroom_console_requests_total{code}}: requests the console answered;
 *   <li>{@code jvm_memory_used_bytes{area}}, {@code jvm_memory_max_bytes{area}}, {@code
 *       jvm_threads_current}, {@code process_uptime_seconds}: the coordinator process.
 * </ul>
 *
 * Only studies on the board are labelled (at most {@link StudyBoard#KEEP_ENDED} ended ones plus
 * those running), which bounds the number of series.
 */
final class ConsoleMetrics {

  static final String CONTENT_TYPE = PrometheusTextFormatWriter.CONTENT_TYPE;

  private final ConsoleData data;
  private final PrometheusRegistry registry = new PrometheusRegistry();
  private final PrometheusTextFormatWriter writer = PrometheusTextFormatWriter.create();
  private final Counter requests;

  /** The board as of the scrape under way, so that every metric sees the same snapshot. */
  private List<StudyBoard.StudyView> studies = List.of();

  ConsoleMetrics(ConsoleData data) {
    this.data = data;
    requests =
        Counter.builder()
            .name("cleanroom_console_requests")
            .help("Requests the console answered, by HTTP status")
            .labelNames("code")
            .register(registry);
    GaugeWithCallback.builder()
        .name("cleanroom_studies")
        .help("Studies on the coordinator's board, by state")
        .labelNames("state")
        .callback(
            cb -> {
              Map<String, Integer> byState = new TreeMap<>();
              for (StudyBoard.StudyView s : studies) {
                byState.merge(s.state().isEmpty() ? "STARTING" : s.state(), 1, Integer::sum);
              }
              byState.forEach((state, n) -> cb.call(n, state));
            })
        .register(registry);
    GaugeWithCallback.builder()
        .name("cleanroom_connected_nodes")
        .help("Bank nodes with an open control session")
        .callback(cb -> cb.call(data.sessions().connected().size()))
        .register(registry);
    GaugeWithCallback.builder()
        .name("cleanroom_phase_progress")
        .help("Progress of each phase of a study, 0..1")
        .labelNames("study", "phase")
        .callback(
            cb -> {
              for (StudyBoard.StudyView s : studies) {
                for (StudyBoard.PhaseView p : s.phases()) {
                  cb.call(p.progress(), s.id(), p.name());
                }
              }
            })
        .register(registry);
    GaugeWithCallback.builder()
        .name("cleanroom_phase_seconds")
        .help("Wall time of each phase of a study, in seconds (so far, while it runs)")
        .labelNames("study", "phase")
        .callback(
            cb -> {
              Instant now = Instant.now();
              for (StudyBoard.StudyView s : studies) {
                Map<String, PhaseSummary> done = summaries(s);
                for (StudyBoard.PhaseView p : s.phases()) {
                  PhaseSummary sum = done.get(p.name());
                  double seconds;
                  if (sum != null) {
                    seconds = sum.getWallSeconds();
                  } else {
                    Instant end = p.ended() != null ? p.ended() : s.ended() ? s.updated() : now;
                    seconds = Duration.between(p.started(), end).toMillis() / 1000.0;
                  }
                  cb.call(seconds, s.id(), p.name());
                }
              }
            })
        .register(registry);
    GaugeWithCallback.builder()
        .name("cleanroom_phase_bytes_sent")
        .help("Protocol bytes each party sent in a phase of an ended study")
        .labelNames("study", "phase", "party")
        .callback(
            cb -> {
              for (StudyBoard.StudyView s : studies) {
                for (PhaseSummary p : summaries(s).values()) {
                  new TreeMap<>(p.getBytesSentMap())
                      .forEach((party, bytes) -> cb.call(bytes, s.id(), p.getName(), party));
                }
              }
            })
        .register(registry);
    GaugeWithCallback.builder()
        .name("cleanroom_phase_count")
        .help("Sizes the coordinator learnt in a phase of an ended study (rows, handles, edges)")
        .labelNames("study", "phase", "name")
        .callback(
            cb -> {
              for (StudyBoard.StudyView s : studies) {
                for (PhaseSummary p : summaries(s).values()) {
                  new TreeMap<>(p.getCountsMap())
                      .forEach((name, n) -> cb.call(n, s.id(), p.getName(), name));
                }
              }
            })
        .register(registry);
    GaugeWithCallback.builder()
        .name("cleanroom_phase_peak_heap_bytes")
        .help("Each node's peak heap use at the end of a phase of an ended study")
        .labelNames("study", "phase", "party")
        .callback(
            cb -> {
              for (StudyBoard.StudyView s : studies) {
                for (PhaseSummary p : summaries(s).values()) {
                  new TreeMap<>(p.getPeakHeapBytesMap())
                      .forEach((party, bytes) -> cb.call(bytes, s.id(), p.getName(), party));
                }
              }
            })
        .register(registry);
    GaugeWithCallback.builder()
        .name("jvm_memory_used_bytes")
        .help("Memory used by the coordinator's JVM")
        .labelNames("area")
        .callback(
            cb -> {
              cb.call(heap().getUsed(), "heap");
              cb.call(
                  ManagementFactory.getMemoryMXBean().getNonHeapMemoryUsage().getUsed(), "nonheap");
            })
        .register(registry);
    GaugeWithCallback.builder()
        .name("jvm_memory_max_bytes")
        .help("Maximum memory of the coordinator's JVM (-1: undefined)")
        .labelNames("area")
        .callback(cb -> cb.call(heap().getMax(), "heap"))
        .register(registry);
    GaugeWithCallback.builder()
        .name("jvm_threads_current")
        .help("Live threads of the coordinator's JVM")
        .callback(cb -> cb.call(ManagementFactory.getThreadMXBean().getThreadCount()))
        .register(registry);
    GaugeWithCallback.builder()
        .name("process_uptime_seconds")
        .help("Seconds since the coordinator's JVM started")
        .callback(cb -> cb.call(ManagementFactory.getRuntimeMXBean().getUptime() / 1000.0))
        .register(registry);
  }

  private static MemoryUsage heap() {
    return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage();
  }

  private static Map<String, PhaseSummary> summaries(StudyBoard.StudyView s) {
    Map<String, PhaseSummary> out = new TreeMap<>();
    s.summary().ifPresent(sum -> sum.getPhasesList().forEach(p -> out.put(p.getName(), p)));
    return out;
  }

  /** Counts a request answered with {@code status}. */
  void counted(int status) {
    requests.labelValues(Integer.toString(status)).inc();
  }

  /** The metrics now, in the text format. */
  synchronized byte[] scrape() {
    studies = data.board().studies();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try {
      writer.write(out, registry.scrape());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } finally {
      studies = List.of();
    }
    return out.toByteArray();
  }
}
