package io.cleanroom.testbed.cli;

import io.cleanroom.coordinator.log.LogEntries;
import io.cleanroom.coordinator.log.LogKeys;
import io.cleanroom.coordinator.study.LogCheck;
import io.cleanroom.coordinator.study.StudyHistory;
import io.cleanroom.protocol.log.LogEntry;
import io.cleanroom.protocol.log.LogException;
import io.cleanroom.protocol.log.LogPublicKey;
import io.cleanroom.protocol.study.StudyState;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code ./cleanroom log verify DIR} and {@code ./cleanroom log show DIR}. */
@Command(
    name = "log",
    description = "A study's protocol log (out/log of a study).",
    subcommands = {LogCommand.Verify.class, LogCommand.Show.class})
final class LogCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    spec.commandLine().usage(spec.commandLine().getOut());
    return 2;
  }

  @Command(
      name = "verify",
      description =
          "Check a protocol log: the hash chain, the checkpoints' signatures and their consistency"
              + " (RFC 9162), the signed joins, the destruction receipts and the study's lifecycle."
              + " Exits 0 when intact; otherwise 1, naming the first bad entry or checkpoint.")
  static final class Verify implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Parameters(paramLabel = "DIR", description = "the log folder, e.g. out/demo/log")
    Path dir;

    @Option(
        names = "--key",
        paramLabel = "PEM",
        description =
            "the coordinator's published log key, instead of the log-public-key.pem in DIR")
    Path key;

    @Option(
        names = "--ca",
        paramLabel = "CERT",
        description = "the consortium CA certificate that must have issued the participants'")
    Path ca;

    @Override
    public Integer call() throws IOException, GeneralSecurityException, LogException {
      PrintWriter out = spec.commandLine().getOut();
      PrintWriter err = spec.commandLine().getErr();
      if (!Files.isDirectory(dir)) {
        err.println("log verify: " + dir + " is not a folder");
        return 2;
      }
      LogPublicKey pinned = key == null ? null : LogKeys.readPublicKey(key);
      LogCheck check = LogCheck.of(dir, pinned, readCa());
      out.print(check.log().summary());
      List<String> problems = check.problems();
      StudyHistory history = check.history();
      if (history != null) {
        printHistory(out, history);
        out.println(
            line("joins", names(history.joined()) + " (signatures over the plan verified)"));
        out.println(
            line(
                "receipts",
                names(history.destroyedBy())
                    + " (destruction receipts"
                    + (history.warnings().isEmpty() ? " verified)" : ")")));
        history.warnings().forEach(w -> out.println(line("warning", w)));
        history.problems().forEach(p -> out.println(line("problem", p)));
      }
      out.println(line("verdict", problems.isEmpty() ? "OK" : "FAILED"));
      out.flush();
      if (!problems.isEmpty()) {
        err.println("log verify: " + dir + ": " + problems.get(0));
        return 1;
      }
      return 0;
    }

    private X509Certificate readCa() throws IOException, GeneralSecurityException {
      if (ca == null) {
        return null;
      }
      try (InputStream in = Files.newInputStream(ca)) {
        return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
      }
    }
  }

  @Command(
      name = "show",
      description =
          "Print a study's state and its protocol log, one line per entry (without checking it:"
              + " that is log verify).")
  static final class Show implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Parameters(paramLabel = "DIR", description = "the log folder, e.g. out/demo/log")
    Path dir;

    @Override
    public Integer call() throws IOException, LogException {
      PrintWriter out = spec.commandLine().getOut();
      List<LogEntry> entries = LogEntries.read(dir);
      StudyHistory history = StudyHistory.of(entries, null);
      out.println(line("study", history.studyId() == null ? "(unknown)" : history.studyId()));
      printHistory(out, history);
      out.println(line("entries", Integer.toString(entries.size())));
      for (LogEntry e : entries) {
        out.printf(
            "%6d  %s  %-11s  %s%n",
            e.index(), StudyHistory.time(e), e.kind(), StudyHistory.describe(e));
      }
      out.flush();
      return 0;
    }
  }

  private static void printHistory(PrintWriter out, StudyHistory history) {
    out.println(line("task", history.task() == null ? "(unknown)" : history.task()));
    out.println(line("participants", names(history.participants())));
    out.println(
        line(
            "lifecycle",
            history.lifecycle().stream().map(Enum::name).collect(Collectors.joining(" -> "))));
    StudyState state = history.state();
    out.println(
        line(
            "state",
            state == null
                ? "(none logged)"
                : state + (history.abortReason() == null ? "" : ": " + history.abortReason())));
  }

  private static String names(List<String> names) {
    return names.isEmpty() ? "none" : String.join(", ", names);
  }

  private static String line(String label, String value) {
    return String.format("%-13s %s", label + ":", value);
  }
}
