package io.cleanroom.testbed.local;

import io.cleanroom.coordinator.CoordinatorMain;
import io.cleanroom.coordinator.config.CoordinatorConfig;
import io.cleanroom.eval.model.TrainingParameters;
import io.cleanroom.node.NodeMain;
import io.cleanroom.node.config.NodeConfig;
import io.cleanroom.node.data.DataException;
import io.cleanroom.node.risk.RiskParameters;
import io.cleanroom.node.store.WorkFolder;
import io.cleanroom.protocol.config.YamlConfig;
import io.cleanroom.protocol.pki.ConsortiumPki;
import io.cleanroom.protocol.pki.MutualTls;
import io.cleanroom.protocol.pki.PartyIdentity;
import io.cleanroom.protocol.pki.Role;
import io.cleanroom.protocol.pki.TlsMaterial;
import io.cleanroom.protocol.service.ForegroundService;
import io.cleanroom.protocol.study.StudyState;
import io.cleanroom.protocol.study.Tasks;
import io.cleanroom.protocol.wire.v1.OperatorGrpc;
import io.cleanroom.protocol.wire.v1.StudyPlan;
import io.cleanroom.protocol.wire.v1.StudyProgress;
import io.cleanroom.protocol.wire.v1.StudySummary;
import io.cleanroom.testbed.reference.ModelCheck;
import io.cleanroom.testbed.reference.RiskCheck;
import io.grpc.Grpc;
import io.grpc.ManagedChannel;
import io.grpc.StatusRuntimeException;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.stream.Stream;

/** Runs one study on a dataset folder with every party on this machine. */
public final class LocalTestbed {

  private static final String BANK_ID = "[a-z0-9][a-z0-9-]{0,62}";

  /**
   * What to run.
   *
   * @param data dataset folder, one sub-folder per bank
   * @param out output folder
   * @param inProcess run the parties as threads of this JVM instead of processes
   * @param heap maximum heap of each child process, e.g. "1g"
   * @param startTimeoutSeconds how long to wait for every party to report healthy
   * @param studyTimeoutSeconds upper bound for the study
   * @param brokenNode a node started with another bank's certificate, to exercise start-up failure;
   *     null for none
   * @param task the study's task
   * @param parameters the task's parameters
   * @param transcripts folder under which every party records what it receives, or null
   * @param kill a node process to kill during the study, to exercise failure; null for none
   * @param fault a node whose messages to one peer are delayed or dropped, to exercise failure;
   *     null for none
   * @param consolePort the loopback port of the coordinator's web console (plain HTTP), 0 for any
   *     free port, or null for no console
   * @param consoleUntil when set, every party keeps running after the study until it completes, so
   *     that the console can still be looked at; null to stop right after the study
   * @param databases per bank, the database its node reads its tables from instead of its folder of
   *     {@code data} (the {@code data.jdbc} section of its configuration); empty for none. The
   *     folder still names the banks and feeds the plaintext reference.
   */
  public record Options(
      Path data,
      Path out,
      boolean inProcess,
      String heap,
      int startTimeoutSeconds,
      int studyTimeoutSeconds,
      String brokenNode,
      String task,
      Map<String, String> parameters,
      Path transcripts,
      Kill kill,
      Fault fault,
      Integer consolePort,
      CompletionStage<?> consoleUntil,
      Map<String, NodeConfig.Jdbc> databases) {

    public static Options of(Path data, Path out, boolean inProcess) {
      return new Options(
          data,
          out,
          inProcess,
          "1g",
          60,
          3600,
          null,
          Tasks.AGGREGATE_COUNTS,
          Map.of(),
          null,
          null,
          null,
          null,
          null,
          Map.of());
    }

    /** Nodes of the banks in {@code databases} read their tables from that database. */
    public Options withDatabases(Map<String, NodeConfig.Jdbc> databases) {
      Map<String, NodeConfig.Jdbc> copy = Map.copyOf(databases);
      return with(b -> b.databases = copy);
    }

    public Options withBrokenNode(String node) {
      return with(b -> b.brokenNode = node);
    }

    public Options withTask(String task, Map<String, String> parameters) {
      Map<String, String> copy = Map.copyOf(parameters);
      return with(
          b -> {
            b.task = task;
            b.parameters = copy;
          });
    }

    public Options withHeap(String childHeap) {
      return with(b -> b.heap = childHeap);
    }

    public Options withTranscripts(Path dir) {
      return with(b -> b.transcripts = dir);
    }

    /**
     * Serves the coordinator's web console on {@code http://127.0.0.1:<port>/} (0: a free port
     * chosen by the testbed), announced on the testbed's console; after the study, keeps every
     * party running until {@code until} completes (null: stops right away).
     */
    public Options withConsole(int port, CompletionStage<?> until) {
      return with(
          b -> {
            b.consolePort = port;
            b.consoleUntil = until;
          });
    }

    /**
     * Kills node {@code node}'s process (SIGKILL, no chance to clean up) as soon as phase {@code
     * phase} has started, and bounds the study by {@code studyTimeoutSeconds}. Needs separate
     * processes. With {@code node} "coordinator" the coordinator is killed instead, started again
     * from the same configuration and records, and the plan runs again on it; the summary is the
     * second study's, and its {@code fault} names the interrupted one.
     */
    public Options withKill(String node, String phase, int studyTimeoutSeconds) {
      return with(
          b -> {
            b.studyTimeoutSeconds = studyTimeoutSeconds;
            b.kill = new Kill(node, phase);
          });
    }

    /**
     * For testing only: node {@code node} delays each batch of share-exchange messages it sends to
     * {@code peer} by {@code delayMs} ms, and drops every batch to {@code peer} after the first
     * {@code dropAfter} (null: none dropped), through its configuration's {@code faults} entry;
     * with {@code peer} "coordinator" the same happens to its control messages instead. The study
     * is bounded by {@code studyTimeoutSeconds}, and every node waits at most half of it for one
     * message of a step, so that a silent channel is reported by the party waiting on it.
     */
    public Options withFault(
        String node, String peer, int delayMs, Integer dropAfter, int studyTimeoutSeconds) {
      return with(
          b -> {
            b.studyTimeoutSeconds = studyTimeoutSeconds;
            b.fault = new Fault(node, new NodeConfig.Faults(peer, delayMs, dropAfter));
          });
    }

    /** These options with {@code change} applied to a copy. */
    private Options with(Consumer<Builder> change) {
      Builder b = new Builder(this);
      change.accept(b);
      return b.build();
    }

    /** The fields of {@link Options}, to copy with some of them changed. */
    private static final class Builder {
      private final Path data;
      private final Path out;
      private final boolean inProcess;
      private final int startTimeoutSeconds;
      String heap;
      int studyTimeoutSeconds;
      String brokenNode;
      String task;
      Map<String, String> parameters;
      Path transcripts;
      Kill kill;
      Fault fault;
      Integer consolePort;
      CompletionStage<?> consoleUntil;
      Map<String, NodeConfig.Jdbc> databases;

      Builder(Options o) {
        data = o.data;
        out = o.out;
        inProcess = o.inProcess;
        startTimeoutSeconds = o.startTimeoutSeconds;
        heap = o.heap;
        studyTimeoutSeconds = o.studyTimeoutSeconds;
        brokenNode = o.brokenNode;
        task = o.task;
        parameters = o.parameters;
        transcripts = o.transcripts;
        kill = o.kill;
        fault = o.fault;
        consolePort = o.consolePort;
        consoleUntil = o.consoleUntil;
        databases = o.databases;
      }

      Options build() {
        return new Options(
            data,
            out,
            inProcess,
            heap,
            startTimeoutSeconds,
            studyTimeoutSeconds,
            brokenNode,
            task,
            parameters,
            transcripts,
            kill,
            fault,
            consolePort,
            consoleUntil,
            databases);
      }
    }

    /** A node whose outgoing messages to one peer are delayed or dropped. */
    public record Fault(String node, NodeConfig.Faults faults) {}

    /** A node process to kill when a phase starts. */
    public record Kill(String node, String phase) {}

    /** Where party {@code name} records what it receives, or null. */
    String transcriptsOf(String name) {
      return transcripts == null ? null : transcripts.resolve(name).toAbsolutePath().toString();
    }
  }

  /** What the testbed writes into the output folder; a new study replaces all of it. */
  private static final List<String> STUDY_OUTPUTS =
      List.of("risk", "scores", "model", "explanations", "link", "report", "log", "summary.json");

  private final Options options;
  private final PrintStream console;
  private final List<Party> parties = new ArrayList<>();
  private final List<ManagedChannel> channels = new ArrayList<>();
  private long killedAt;
  private long killedAtMillis;
  private long restartedAt;
  private String interruptedStudy;

  private final int studies;
  private final ProgressDisplay.Mode progressMode;

  private LocalTestbed(
      Options options, PrintStream console, int studies, ProgressDisplay.Mode progressMode) {
    this.options = options;
    this.console = console;
    this.studies = studies;
    this.progressMode = progressMode;
  }

  /**
   * Runs the study and writes {@code summary.json} into the output folder.
   *
   * @return the summary; its state is DESTROYED or ABORTED
   * @throws TestbedException when a party fails to start or the study cannot be run
   */
  public static Map<String, Object> run(Options options, PrintStream console)
      throws TestbedException {
    return run(options, console, 1, ProgressDisplay.Mode.LINES);
  }

  /**
   * Runs the study as {@link #run(Options, PrintStream)} does, showing the progress of its phases
   * on {@code console} as {@code progress} says ({@link ProgressDisplay}).
   */
  public static Map<String, Object> run(
      Options options, PrintStream console, ProgressDisplay.Mode progress) throws TestbedException {
    return run(options, console, 1, progress);
  }

  /**
   * Runs the same plan {@code studies} times back to back on the same long-lived coordinator and
   * node processes, as a soak test: the summary is the last study's, with a {@code soak} section
   * giving every study's state and wall time and each party's {@link ProcessStats} after the first
   * and after the last study. Stops at the first study that does not end DESTROYED.
   */
  public static Map<String, Object> soak(Options options, PrintStream console, int studies)
      throws TestbedException {
    if (studies < 1) {
      throw new IllegalArgumentException("a soak runs at least one study, got " + studies);
    }
    if (options.inProcess()) {
      throw new TestbedException("a soak measures separate processes, not --in-process");
    }
    return run(options, console, studies, ProgressDisplay.Mode.LINES);
  }

  private static Map<String, Object> run(
      Options options, PrintStream console, int studies, ProgressDisplay.Mode progress)
      throws TestbedException {
    LocalTestbed t = new LocalTestbed(options, console, studies, progress);
    Thread onCtrlC = new Thread(t::stopAll, "testbed-ctrl-c");
    Runtime.getRuntime().addShutdownHook(onCtrlC);
    Path pki = null;
    try {
      pki = Files.createTempDirectory("cleanroom-pki-");
      return t.runIn(pki);
    } catch (IOException | GeneralSecurityException e) {
      throw new TestbedException("testbed: " + e.getMessage(), e);
    } finally {
      t.stopAll();
      deleteTree(pki);
      try {
        Runtime.getRuntime().removeShutdownHook(onCtrlC);
      } catch (IllegalStateException shuttingDown) {
        // Ctrl-C: the hook is running already.
      }
    }
  }

  /** The bank folders of a dataset, sorted. */
  public static List<String> banks(Path data) throws TestbedException {
    if (!Files.isDirectory(data)) {
      throw new TestbedException("dataset folder " + data + " does not exist");
    }
    List<String> banks;
    try (Stream<Path> s = Files.list(data)) {
      banks =
          s.filter(Files::isDirectory)
              .map(p -> p.getFileName().toString())
              .filter(n -> n.matches(BANK_ID))
              .sorted()
              .toList();
    } catch (IOException e) {
      throw new TestbedException("cannot list " + data + ": " + e.getMessage(), e);
    }
    if (banks.size() < 2) {
      throw new TestbedException(
          data + " holds " + banks.size() + " bank folder(s); a study needs at least 2");
    }
    return banks;
  }

  private Map<String, Object> runIn(Path pki)
      throws IOException, GeneralSecurityException, TestbedException {
    long t0 = System.nanoTime();
    Datasets.resolve(options.data());
    List<String> banks = banks(options.data());
    if (options.kill() != null) {
      if (options.inProcess()) {
        throw new TestbedException("killing a node needs separate processes, not --in-process");
      }
      if (!banks.contains(options.kill().node()) && !restartsCoordinator()) {
        throw new TestbedException(
            "cannot kill " + options.kill().node() + ": not a bank of the study");
      }
    }
    if (options.fault() != null
        && !(banks.contains(options.fault().node())
            && (banks.contains(options.fault().faults().peer())
                || options.fault().faults().peer().equals("coordinator")))) {
      throw new TestbedException(
          "cannot inject a fault from "
              + options.fault().node()
              + " to "
              + options.fault().faults().peer()
              + ": not banks of the study");
    }
    Path out = options.out();
    Path configs = Files.createDirectories(out.resolve("config"));
    Path logs = Files.createDirectories(out.resolve("logs"));
    ConsortiumPki.init(pki, banks, List.of());

    int coordPort = freePort();
    List<Integer> nodePorts = new ArrayList<>();
    for (int i = 0; i < banks.size(); i++) {
      nodePorts.add(freePort());
    }
    CoordinatorConfig.Console webConsole = null;
    if (options.consolePort() != null) {
      int port = options.consolePort() == 0 ? freePort() : options.consolePort();
      webConsole = new CoordinatorConfig.Console("127.0.0.1:" + port, false, false);
      console.println("coordinator console: http://127.0.0.1:" + port + "/");
    }
    Path coordConfig = configs.resolve("coordinator.yaml");
    YamlConfig.mapper()
        .writeValue(
            coordConfig.toFile(),
            new CoordinatorConfig(
                "coordinator",
                "127.0.0.1:" + coordPort,
                pki.resolve("coordinator").toString(),
                options.startTimeoutSeconds(),
                out.resolve("coordinator").toAbsolutePath().toString(),
                pki.resolve("coordinator-log-key.pem").toString(),
                options.transcriptsOf("coordinator"),
                webConsole));
    List<Path> nodeConfigs = new ArrayList<>();
    for (int i = 0; i < banks.size(); i++) {
      String bank = banks.get(i);
      List<NodeConfig.Peer> peers = new ArrayList<>();
      for (int j = 0; j < banks.size(); j++) {
        if (j != i) {
          peers.add(new NodeConfig.Peer(banks.get(j), "127.0.0.1:" + nodePorts.get(j)));
        }
      }
      Options.Fault fault = options.fault();
      String certOf = bank.equals(options.brokenNode()) ? banks.get((i + 1) % banks.size()) : bank;
      Path f = configs.resolve(bank + ".yaml");
      YamlConfig.mapper()
          .writeValue(
              f.toFile(),
              new NodeConfig(
                  bank,
                  "127.0.0.1:" + nodePorts.get(i),
                  pki.resolve(certOf).toString(),
                  new NodeConfig.Peer("coordinator", "127.0.0.1:" + coordPort),
                  peers,
                  options.databases().containsKey(bank)
                      ? NodeConfig.Data.database(options.databases().get(bank))
                      : NodeConfig.Data.folder(
                          options.data().resolve(bank).toAbsolutePath().toString()),
                  out.resolve("work").resolve(bank).toAbsolutePath().toString(),
                  fault == null ? null : Math.max(1, options.studyTimeoutSeconds() / 2),
                  options.transcriptsOf(bank),
                  fault != null && fault.node().equals(bank) ? fault.faults() : null));
      nodeConfigs.add(f);
    }

    console.println(
        "starting coordinator and "
            + banks.size()
            + " nodes ("
            + (options.inProcess() ? "in-process" : "separate processes")
            + ", mutual TLS on loopback)");
    start("coordinator", "coordinator", coordConfig, logs);
    for (int i = 0; i < banks.size(); i++) {
      start(banks.get(i), "node", nodeConfigs.get(i), logs);
    }
    TlsMaterial operator = TlsMaterial.loadDir(pki.resolve("operator"));
    ManagedChannel coord = channel(operator, "coordinator", Role.COORDINATOR, coordPort);
    awaitHealthy("coordinator", coord);
    for (int i = 0; i < banks.size(); i++) {
      awaitHealthy(banks.get(i), channel(operator, banks.get(i), Role.NODE, nodePorts.get(i)));
    }
    console.println("all parties healthy after " + String.format("%.1f s", seconds(t0)));

    StudyPlan plan =
        StudyPlan.newBuilder()
            .addAllParticipants(banks)
            .setTask(options.task())
            .putAllParameters(options.parameters())
            .setTimeoutSeconds(options.studyTimeoutSeconds())
            .build();
    StudySummary summary = null;
    List<Map<String, Object>> runs = new ArrayList<>();
    Map<String, Object> afterFirst = null;
    for (int k = 0; k < studies; k++) {
      for (String name : STUDY_OUTPUTS) {
        deleteTree(out.resolve(name));
      }
      long s0 = System.nanoTime();
      summary = runStudy(coord, plan);
      if (summary == null) {
        // The coordinator was killed on purpose: start it again from the same configuration and
        // run the plan again, as the third party would after a crash.
        for (Party p : List.copyOf(parties)) {
          if (p.name().equals("coordinator")) {
            p.close();
            parties.remove(p);
          }
        }
        start("coordinator", "coordinator", coordConfig, logs);
        coord = channel(operator, "coordinator", Role.COORDINATOR, coordPort);
        awaitHealthy("coordinator", coord);
        restartedAt = System.nanoTime();
        console.println(
            "restarted the coordinator "
                + String.format("%.1f s", (restartedAt - killedAt) / 1e9)
                + " after killing it; running the plan again");
        summary = runStudy(coord, plan);
      }
      Map<String, Object> run = new LinkedHashMap<>();
      run.put("study", summary.getStudyId());
      run.put("state", summary.getState());
      run.put("wall_s", seconds(s0));
      runs.add(run);
      if (k == 0 && studies > 1) {
        afterFirst = ProcessStats.of(parties);
      }
      if (!StudyState.DESTROYED.name().equals(summary.getState())) {
        break;
      }
    }
    long summaryAt = System.nanoTime();
    collectOutputs(summary.getStudyId(), banks);
    Map<String, Object> json =
        SummaryJson.toMap(
            summary, options.inProcess() ? "in-process" : "multi-process", seconds(t0));
    if (studies > 1) {
      Map<String, Object> soak = new LinkedHashMap<>();
      soak.put("studies", runs);
      soak.put("after_first", afterFirst);
      soak.put("after_last", ProcessStats.of(parties));
      json.put("soak", soak);
    }
    if (options.kill() != null) {
      Map<String, Object> fault = new LinkedHashMap<>();
      fault.put("killed", options.kill().node());
      fault.put("phase", options.kill().phase());
      if (killedAt != 0) {
        fault.put("killed_at_ms", killedAtMillis);
        fault.put("summary_after_s", (summaryAt - killedAt) / 1e9);
      }
      if (interruptedStudy != null) {
        fault.put("interrupted_study", interruptedStudy);
        fault.put("restarted_after_s", (restartedAt - killedAt) / 1e9);
      }
      json.put("fault", fault);
    }
    if (options.fault() != null) {
      Map<String, Object> fault = new LinkedHashMap<>();
      fault.put("node", options.fault().node());
      fault.put("peer", options.fault().faults().peer());
      fault.put("delay_ms", options.fault().faults().delayMs());
      fault.put("drop_after", options.fault().faults().dropAfter());
      fault.put("study_s", runs.get(runs.size() - 1).get("wall_s"));
      json.put("message_fault", fault);
    }
    boolean destroyed = StudyState.DESTROYED.name().equals(summary.getState());
    boolean risk =
        Tasks.LINKED_RISK.equals(options.task()) || Tasks.FRAUD_STUDY.equals(options.task());
    if (risk && destroyed) {
      try {
        json.put(
            "risk",
            RiskCheck.check(options.data(), out, banks, RiskParameters.of(options.parameters())));
      } catch (DataException e) {
        throw new TestbedException("reference: " + e.getMessage(), e);
      }
    }
    // A governance report that blocks the model's release leaves no model to compare.
    boolean released = !summary.hasReport() || !summary.getReport().getReleaseBlocked();
    if (!released) {
      console.println(
          "the governance report blocks the model's release; withheld: "
              + String.join(", ", summary.getReport().getWithheldList()));
    }
    if (Tasks.FRAUD_STUDY.equals(options.task()) && destroyed && released) {
      json.put(
          "model",
          ModelCheck.check(
              options.data(),
              out,
              banks,
              TrainingParameters.of(options.parameters()),
              summary.getStudyId()));
    }
    SummaryJson.write(out.resolve("summary.json"), json);
    if (options.consoleUntil() != null) {
      console.println("study ended; the coordinator's console stays up until released");
      try {
        options.consoleUntil().toCompletableFuture().join();
      } catch (RuntimeException releasedExceptionally) {
        // Stop all the same.
      }
    }
    return json;
  }

  /**
   * Gathers into the output folder what each party keeps of the study: every node's released
   * outputs (work/&lt;bank&gt;/outputs/&lt;study&gt;) and the coordinator's records of it, among
   * them the protocol log (log/). An aborted study released nothing, so only its log is gathered.
   */
  private void collectOutputs(String studyId, List<String> banks) throws IOException {
    Path out = options.out();
    for (String bank : banks) {
      copyTree(out.resolve("work").resolve(bank).resolve(WorkFolder.OUTPUTS).resolve(studyId), out);
    }
    copyTree(out.resolve("coordinator").resolve(studyId), out);
  }

  private static void copyTree(Path from, Path to) throws IOException {
    if (!Files.isDirectory(from)) {
      return;
    }
    try (Stream<Path> s = Files.walk(from)) {
      for (Path p : (Iterable<Path>) s::iterator) {
        Path target = to.resolve(from.relativize(p).toString());
        if (Files.isDirectory(p)) {
          Files.createDirectories(target);
        } else {
          Files.copy(p, target, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
      }
    }
  }

  private void start(String name, String role, Path config, Path logs)
      throws TestbedException, IOException {
    if (options.inProcess()) {
      ForegroundService.Starter starter =
          role.equals("node") ? NodeMain::start : CoordinatorMain::start;
      try {
        parties.add(new InProcessParty(name, starter.start(config)));
      } catch (Exception e) {
        throw new TestbedException(name + " failed to start: " + e.getMessage(), e);
      }
    } else {
      parties.add(
          ChildProcess.start(name, role, config, logs.resolve(name + ".log"), options.heap()));
    }
  }

  private ManagedChannel channel(TlsMaterial operator, String name, Role role, int port)
      throws GeneralSecurityException {
    ManagedChannel ch =
        Grpc.newChannelBuilder(
                "127.0.0.1:" + port,
                MutualTls.channelCredentials(operator, new PartyIdentity(name, role)))
            .overrideAuthority(name)
            .build();
    channels.add(ch);
    return ch;
  }

  private void awaitHealthy(String name, ManagedChannel ch) throws TestbedException {
    String last;
    try {
      last = HealthWait.await(ch, options.startTimeoutSeconds(), 1_000, 200, this::checkAlive);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new TestbedException("interrupted while waiting for " + name + " to report healthy", e);
    }
    if (last == null) {
      return;
    }
    throw new TestbedException(
        name
            + " did not report healthy within "
            + options.startTimeoutSeconds()
            + " s ("
            + last
            + ")");
  }

  /** Fails when a party has exited, quoting the end of its log. */
  private void checkAlive() throws TestbedException {
    for (Party p : parties) {
      if (p.exitCode().isPresent()) {
        throw new TestbedException(p.name() + " exited with code " + p.exitCode().get() + tail(p));
      }
    }
  }

  private static String tail(Party p) {
    if (p.log().isEmpty()) {
      return "";
    }
    try {
      List<String> lines = Files.readAllLines(p.log().get());
      List<String> last = lines.subList(Math.max(0, lines.size() - 5), lines.size());
      return "; last lines of " + p.log().get() + ":\n  " + String.join("\n  ", last);
    } catch (IOException e) {
      return "";
    }
  }

  /** Whether the kill option names the coordinator: it is killed and started again. */
  private boolean restartsCoordinator() {
    return options.kill() != null && options.kill().node().equals("coordinator");
  }

  /**
   * Runs the plan and returns its summary, or null if this testbed killed the coordinator during
   * the study ({@link Options#withKill} naming the coordinator).
   */
  private StudySummary runStudy(ManagedChannel coord, StudyPlan plan) throws TestbedException {
    String studyId = null;
    try (ProgressDisplay display = ProgressDisplay.of(progressMode, console)) {
      Iterator<StudyProgress> it =
          OperatorGrpc.newBlockingStub(coord)
              .withDeadlineAfter(plan.getTimeoutSeconds() + 60L, TimeUnit.SECONDS)
              .runStudy(plan);
      while (it.hasNext()) {
        StudyProgress p = it.next();
        if (p.hasSummary()) {
          display.close();
          return p.getSummary();
        }
        studyId = p.getStudyId();
        Options.Kill kill = options.kill();
        if (kill != null && killedAt == 0 && kill.phase().equals(p.getPhase())) {
          kill(kill.node());
          console.println("killed " + kill.node() + " at the start of phase " + kill.phase());
        }
        display.show(plan, p);
      }
    } catch (StatusRuntimeException e) {
      if (restartsCoordinator() && killedAt != 0 && interruptedStudy == null) {
        interruptedStudy = studyId;
        return null;
      }
      checkAlive();
      throw new TestbedException(
          "the coordinator refused or lost the study: "
              + e.getStatus().getCode()
              + " "
              + e.getStatus().getDescription(),
          e);
    }
    checkAlive();
    throw new TestbedException("the coordinator ended the study without a summary");
  }

  private void kill(String node) throws TestbedException {
    for (Party p : parties) {
      if (p.name().equals(node) && p instanceof ChildProcess child) {
        child.kill();
        killedAt = System.nanoTime();
        killedAtMillis = System.currentTimeMillis();
        return;
      }
    }
    throw new TestbedException("no process of " + node + " to kill");
  }

  private synchronized void stopAll() {
    for (ManagedChannel ch : channels) {
      ch.shutdownNow();
    }
    channels.clear();
    // Nodes first, so that the coordinator sees their sessions end rather than the reverse.
    for (int i = parties.size() - 1; i >= 0; i--) {
      parties.get(i).close();
    }
    parties.clear();
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static double seconds(long t0) {
    return (System.nanoTime() - t0) / 1e9;
  }

  public static void deleteTree(Path dir) {
    if (dir == null || !Files.exists(dir)) {
      return;
    }
    try (Stream<Path> s = Files.walk(dir)) {
      s.sorted(Comparator.reverseOrder())
          .forEach(
              p -> {
                try {
                  Files.delete(p);
                } catch (IOException e) {
                  throw new UncheckedIOException(e);
                }
              });
    } catch (IOException | UncheckedIOException e) {
      // A temporary folder that outlives us is not a reason to fail the study.
    }
  }
}
