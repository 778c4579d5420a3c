package io.cleanroom.testbed.cli;

import io.cleanroom.coordinator.CoordinatorMain;
import io.cleanroom.eval.policy.PolicyReader;
import io.cleanroom.eval.study.StudyEvaluation;
import io.cleanroom.node.NodeMain;
import io.cleanroom.protocol.logging.LogFormat;
import io.cleanroom.protocol.pki.ConsortiumPki;
import io.cleanroom.protocol.study.StudyState;
import io.cleanroom.protocol.study.Tasks;
import io.cleanroom.testbed.bench.Bench;
import io.cleanroom.testbed.bench.BenchOptions;
import io.cleanroom.testbed.generate.Generator;
import io.cleanroom.testbed.generate.GeneratorOptions;
import io.cleanroom.testbed.local.LocalTestbed;
import io.cleanroom.testbed.local.ProgressDisplay;
import io.cleanroom.testbed.local.SummaryJson;
import io.cleanroom.testbed.local.TestbedException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code ./cleanroom}: demo, generate, study, node, coordinator, submit, pki, bench, log. */
@Command(
    name = "cleanroom",
    mixinStandardHelpOptions = true,
    version = "cleanroom 0.1.0",
    description = "A financial clean room for cross-bank fraud defence on secret shares.",
    subcommands = {
      CleanroomCli.Demo.class,
      CleanroomCli.Generate.class,
      CleanroomCli.Study.class,
      CleanroomCli.Node.class,
      CleanroomCli.Coordinator.class,
      SubmitCommand.class,
      CleanroomCli.Pki.class,
      CleanroomCli.BenchCommand.class,
      LogCommand.class
    })
public final class CleanroomCli implements Callable<Integer> {

  public static void main(String[] args) {
    try {
      LogFormat.install();
    } catch (IllegalArgumentException e) {
      System.err.println("cleanroom: " + e.getMessage());
      System.exit(2);
    }
    System.exit(execute(args));
  }

  /** Runs the command line and returns the exit code, for tests. */
  public static int execute(String... args) {
    return commandLine().execute(args);
  }

  /** The command line with its error handling; tests set its output streams. */
  public static CommandLine commandLine() {
    return new CommandLine(new CleanroomCli())
        .setExecutionExceptionHandler(
            (e, cmd, parsed) -> {
              cmd.getErr().println("cleanroom " + cmd.getCommandName() + ": " + e.getMessage());
              return 1;
            });
  }

  @Override
  public Integer call() {
    CommandLine.usage(this, System.out);
    return 2;
  }

  /** The {@code --progress} option of the commands that run a study. */
  static final class ProgressOption {
    @CommandLine.Spec(CommandLine.Spec.Target.MIXEE)
    CommandLine.Model.CommandSpec command;

    @Option(
        names = "--progress",
        paramLabel = "bar|lines|none",
        description =
            "how to show the progress of long phases: a progress bar per phase, plain lines, or"
                + " none (default: bar on an interactive terminal, lines otherwise)")
    String progress;

    ProgressDisplay.Mode mode() {
      if (progress == null) {
        return ProgressDisplay.Mode.auto();
      }
      return switch (progress.trim().toLowerCase(Locale.ROOT)) {
        case "bar" -> ProgressDisplay.Mode.BAR;
        case "lines" -> ProgressDisplay.Mode.LINES;
        case "none" -> ProgressDisplay.Mode.NONE;
        default ->
            throw new CommandLine.ParameterException(
                command.commandLine(),
                "--progress must be bar, lines or none, not \"" + progress + "\"");
      };
    }
  }

  @Command(name = "demo", description = "Generate a small dataset and run a study on it.")
  static final class Demo implements Callable<Integer> {
    @Option(names = "--banks", defaultValue = "3", description = "number of banks (default 3)")
    int banks;

    @Option(names = "--accounts", defaultValue = "20000", description = "accounts in all")
    int accounts;

    @Option(names = "--seed", defaultValue = "1")
    long seed;

    @Option(names = "--out", defaultValue = "out/demo")
    Path out;

    @Option(names = "--in-process", description = "run all parties as threads of this JVM")
    boolean inProcess;

    @CommandLine.Mixin ProgressOption progress = new ProgressOption();

    @Override
    public Integer call() throws Exception {
      ProgressDisplay.Mode mode = progress.mode();
      Path data = out.resolve("data");
      System.out.println(
          "generating " + accounts + " accounts over " + banks + " banks into " + data);
      Generator.generate(data, GeneratorOptions.of(banks, accounts, seed));
      return runStudy(
          LocalTestbed.Options.of(data, out, inProcess).withTask(Tasks.FRAUD_STUDY, Map.of()),
          mode);
    }
  }

  @Command(name = "generate", description = "Write a synthetic dataset (deterministic per seed).")
  static final class Generate implements Callable<Integer> {
    @Option(names = "--banks", required = true)
    int banks;

    @Option(names = "--accounts", required = true, description = "accounts over all banks")
    int accounts;

    @Option(names = "--seed", defaultValue = "1")
    long seed;

    @Option(names = "--out", required = true)
    Path out;

    @Option(
        names = "--bias",
        description =
            "plant a demographic bias in mule recruitment, e.g. \"age:<25=3\" or"
                + " \"gender:F=0.5\" (repeatable; attributes gender, age, nationality, region)")
    List<String> bias = List.of();

    @Option(
        names = "--mule-fraction",
        paramLabel = "X",
        description =
            "share of accounts that are mules, 0 to "
                + GeneratorOptions.MAX_MULE_FRACTION
                + " (default "
                + GeneratorOptions.DEFAULT_MULE_FRACTION
                + ")")
    Double muleFraction;

    @Option(
        names = "--alert-fraction",
        paramLabel = "X",
        description = "share of mule accounts flagged alert, 0 to 1 (default 1/3)")
    Double alertFraction;

    @Option(
        names = "--ordinary-age-mules",
        description =
            "open mule accounts as long ago as ordinary accounts, not shortly before their use")
    boolean ordinaryAgeMules;

    @Option(
        names = "--overlapping-amounts",
        description =
            "make the fraud's transfers the size of ordinary payments, spread over up to the whole"
                + " window, so that mules' amounts and daily volume look ordinary")
    boolean overlappingAmounts;

    @Override
    public Integer call() throws Exception {
      GeneratorOptions options = GeneratorOptions.of(banks, accounts, seed);
      if (muleFraction != null) {
        options = options.withMuleFraction(muleFraction);
      }
      if (alertFraction != null) {
        options = options.withAlertFraction(alertFraction);
      }
      for (String b : bias) {
        options = options.withRecruitmentBias(b);
      }
      options =
          options
              .withOrdinaryAgeMules(ordinaryAgeMules)
              .withOverlappingFraudAmounts(overlappingAmounts);
      Generator.generate(out, options);
      System.out.println("wrote " + out);
      return 0;
    }
  }

  @Command(
      name = "study",
      description = "Run a study on a dataset with a local coordinator and one node per bank.")
  static final class Study implements Callable<Integer> {
    @Option(names = "--data", required = true, description = "dataset folder, one folder per bank")
    Path data;

    @Option(names = "--out", required = true, description = "output folder")
    Path out;

    @Option(names = "--in-process", description = "run all parties as threads of this JVM")
    boolean inProcess;

    @Option(
        names = "--task",
        defaultValue = Tasks.FRAUD_STUDY,
        description = "the study's task (default ${DEFAULT-VALUE})")
    String task;

    @Option(
        names = "--transcripts",
        description = "every party records each payload it receives under DIR/<party>/")
    Path transcripts;

    @Option(
        names = "--policy",
        description =
            "governance policy (YAML) of a fraud study, put into the plan; default: the"
                + " project's default policy")
    Path policy;

    @CommandLine.Mixin ProgressOption progress = new ProgressOption();

    @Override
    public Integer call() {
      ProgressDisplay.Mode mode = progress.mode();
      Map<String, String> parameters = Map.of();
      if (policy != null) {
        try {
          parameters = policyParameter(policy);
        } catch (java.io.IOException | IllegalArgumentException e) {
          System.err.println("study: policy " + policy + ": " + e.getMessage());
          return 1;
        }
      }
      return runStudy(
          LocalTestbed.Options.of(data, out, inProcess)
              .withTask(task, parameters)
              .withTranscripts(transcripts),
          mode);
    }
  }

  /**
   * The plan parameter carrying a governance policy file, after checking that the policy parses.
   *
   * @throws IllegalArgumentException naming what is wrong with the policy
   */
  static Map<String, String> policyParameter(Path policy) throws java.io.IOException {
    String yaml = Files.readString(policy, StandardCharsets.UTF_8);
    PolicyReader.parse(policy.toString(), yaml.getBytes(StandardCharsets.UTF_8));
    return Map.of(StudyEvaluation.POLICY_PARAMETER, yaml);
  }

  static int runStudy(LocalTestbed.Options options, ProgressDisplay.Mode progress) {
    Path out = options.out();
    try {
      Map<String, Object> summary = LocalTestbed.run(options, System.out, progress);
      System.out.println(SummaryJson.render(summary));
      System.out.println("wrote " + out.resolve("summary.json"));
      if (!StudyState.DESTROYED.name().equals(summary.get("state"))) {
        System.err.println("study: aborted: " + summary.get("abort_reason"));
        return 1;
      }
      return 0;
    } catch (TestbedException e) {
      System.err.println("study: " + e.getMessage());
      return 1;
    } catch (java.io.IOException e) {
      System.err.println("study: cannot write the summary: " + e.getMessage());
      return 1;
    }
  }

  @Command(
      name = "bench",
      description =
          "Run the benchmarks; each prints its figures and the ratio to the plaintext"
              + " computation in the same run.")
  static final class BenchCommand implements Callable<Integer> {
    @Option(names = "--banks", defaultValue = "3", description = "bank nodes (default 3)")
    int banks;

    @Option(names = "--accounts", defaultValue = "1000000", description = "graph size")
    int accounts;

    @Option(names = "--rows", defaultValue = "1000000", description = "elements or rows")
    int rows;

    @Option(names = "--features", defaultValue = "16", description = "features per row")
    int features;

    @Option(
        names = "--batch-size",
        defaultValue = "512",
        description = "rows per training batch (default 512)")
    int batchSize;

    @Option(names = "--only", description = "run one benchmark by name")
    String only;

    @Option(names = "--json", description = "one JSON object per line")
    boolean json;

    @Override
    public Integer call() throws Exception {
      return Bench.run(
          new BenchOptions(banks, accounts, rows, features, batchSize), only, json, System.out);
    }
  }

  @Command(name = "node", description = "Run a bank node.")
  static final class Node implements Callable<Integer> {
    @Option(names = "--config", required = true, description = "node YAML configuration")
    Path config;

    @Override
    public Integer call() {
      return NodeMain.run(config, System.err);
    }
  }

  @Command(name = "coordinator", description = "Run the coordinator.")
  static final class Coordinator implements Callable<Integer> {
    @Option(names = "--config", required = true, description = "coordinator YAML configuration")
    Path config;

    @Override
    public Integer call() {
      return CoordinatorMain.run(config, System.err);
    }
  }

  @Command(
      name = "pki",
      description = "Consortium certificates.",
      subcommands = {Pki.Init.class, Pki.Issue.class, Pki.Request.class, Pki.Sign.class})
  static final class Pki implements Callable<Integer> {
    @Override
    public Integer call() {
      CommandLine.usage(this, System.out);
      return 2;
    }

    @Command(
        name = "init",
        description =
            "Create a consortium CA and certificates for the coordinator, the operator and any"
                + " --nodes.")
    static final class Init implements Callable<Integer> {
      @Option(names = "--out", required = true)
      Path out;

      @Option(
          names = "--nodes",
          split = ",",
          description =
              "bank-a,bank-b,...: banks whose keys the CA creates; leave out when each bank"
                  + " enrols with pki request and pki sign")
      List<String> nodes = List.of();

      @Option(
          names = "--hosts",
          split = ",",
          description = "extra DNS names or IP addresses for every certificate")
      List<String> hosts = List.of();

      @Override
      public Integer call() {
        try {
          ConsortiumPki.init(out, nodes, hosts);
        } catch (Exception e) {
          System.err.println("pki init: " + e.getMessage());
          return 1;
        }
        System.out.println("wrote consortium CA and certificates to " + out);
        return 0;
      }
    }

    @Command(name = "issue", description = "Issue one more node certificate from an existing CA.")
    static final class Issue implements Callable<Integer> {
      @Option(names = "--out", required = true, description = "folder made by pki init")
      Path out;

      @Option(names = "--node", required = true)
      String node;

      @Option(names = "--hosts", split = ",")
      List<String> hosts = List.of();

      @Override
      public Integer call() {
        try {
          ConsortiumPki.issue(out, node, io.cleanroom.protocol.pki.Role.NODE, hosts);
        } catch (Exception e) {
          System.err.println("pki issue: " + e.getMessage());
          return 1;
        }
        System.out.println("issued " + node + " in " + out);
        return 0;
      }
    }

    @Command(
        name = "request",
        description =
            "Create this party's private key and a certificate signing request (the key never"
                + " leaves this host); send DIR/tls.csr to the consortium CA.")
    static final class Request implements Callable<Integer> {
      @Option(names = "--out", required = true, description = "this party's TLS folder")
      Path out;

      @Option(names = "--name", required = true, description = "the party's name, e.g. bank-d")
      String name;

      @Option(
          names = "--role",
          defaultValue = "node",
          description = "node or operator (default ${DEFAULT-VALUE})")
      String role;

      @Override
      public Integer call() {
        try {
          ConsortiumPki.request(out, name, io.cleanroom.protocol.pki.Role.fromLabel(role));
        } catch (Exception e) {
          System.err.println("pki request: " + e.getMessage());
          return 1;
        }
        System.out.println(
            "wrote "
                + out.resolve(ConsortiumPki.KEY_FILE)
                + " (keep it here) and "
                + out.resolve(ConsortiumPki.CSR_FILE)
                + " (send it to the consortium CA)");
        return 0;
      }
    }

    @Command(
        name = "sign",
        description =
            "At the consortium CA: check a certificate signing request and issue its certificate.")
    static final class Sign implements Callable<Integer> {
      @Option(names = "--ca", required = true, description = "folder made by pki init")
      Path ca;

      @Option(names = "--csr", required = true, description = "the party's tls.csr")
      Path csr;

      @Option(
          names = "--out",
          required = true,
          description = "where to write tls.crt and ca.crt, to send back to the party")
      Path out;

      @Option(
          names = "--role",
          defaultValue = "node",
          description = "node or operator (default ${DEFAULT-VALUE})")
      String role;

      @Option(names = "--hosts", split = ",", description = "DNS names or IP addresses")
      List<String> hosts = List.of();

      @Override
      public Integer call() {
        io.cleanroom.protocol.pki.PartyIdentity party;
        try {
          party =
              ConsortiumPki.sign(
                  ca, csr, io.cleanroom.protocol.pki.Role.fromLabel(role), hosts, out);
        } catch (Exception e) {
          System.err.println("pki sign: " + e.getMessage());
          return 1;
        }
        System.out.println("issued " + party + " into " + out);
        return 0;
      }
    }
  }
}
