package io.cleanroom.testbed.cli;

import io.cleanroom.protocol.config.Endpoint;
import io.cleanroom.protocol.pki.MutualTls;
import io.cleanroom.protocol.pki.PartyIdentity;
import io.cleanroom.protocol.pki.Role;
import io.cleanroom.protocol.pki.TlsMaterial;
import io.cleanroom.protocol.study.StudyState;
import io.cleanroom.protocol.study.Tasks;
import io.cleanroom.protocol.wire.v1.OperatorGrpc;
import io.cleanroom.protocol.wire.v1.StudyPlan;
import io.cleanroom.protocol.wire.v1.StudyProgress;
import io.cleanroom.protocol.wire.v1.StudySummary;
import io.cleanroom.testbed.local.HealthWait;
import io.cleanroom.testbed.local.ProgressDisplay;
import io.cleanroom.testbed.local.SummaryJson;
import io.grpc.Grpc;
import io.grpc.ManagedChannel;
import io.grpc.StatusRuntimeException;
import java.io.IOException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code cleanroom submit}: the third party's operator runs one study on a coordinator that is
 * already running, with bank nodes that are already connected to it, and follows its progress to
 * the end. This is how a deployed consortium runs a study; {@code cleanroom study} instead starts a
 * whole consortium on this machine.
 *
 * <p>The command connects with the operator's certificate (role operator) over mutual TLS and
 * accepts only a coordinator whose certificate the consortium CA issued to {@code
 * --coordinator-name}. It prints the study's progress ({@code --progress}, as {@code study} does),
 * then its summary as JSON; the exit code is 0 when the study reached DESTROYED, 1 when it was
 * aborted or could not run.
 */
@Command(
    name = "submit",
    description =
        "Run a study on a running coordinator and its connected bank nodes (operator certificate).")
final class SubmitCommand implements Callable<Integer> {

  @Option(
      names = "--coordinator",
      required = true,
      description = "the coordinator's address, host:port")
  String coordinator;

  @Option(
      names = "--coordinator-name",
      defaultValue = "coordinator",
      description = "the name in the coordinator's certificate (default ${DEFAULT-VALUE})")
  String coordinatorName;

  @Option(
      names = "--tls",
      required = true,
      description = "the operator's folder with tls.crt, tls.key and ca.crt")
  Path tls;

  @Option(
      names = "--participants",
      required = true,
      split = ",",
      description = "the bank nodes, in party order: bank-a,bank-b,...")
  List<String> participants;

  @Option(
      names = "--task",
      defaultValue = Tasks.FRAUD_STUDY,
      description = "the study's task (default ${DEFAULT-VALUE})")
  String task;

  @Option(
      names = "--param",
      description = "a task parameter name=value, e.g. epochs=10 (repeatable)")
  Map<String, String> parameters = new LinkedHashMap<>();

  @Option(names = "--policy", description = "governance policy (YAML) of a fraud study")
  Path policy;

  @Option(
      names = "--timeout-seconds",
      defaultValue = "3600",
      description = "upper bound for the whole study (default ${DEFAULT-VALUE})")
  int timeoutSeconds;

  @Option(
      names = "--wait-seconds",
      defaultValue = "30",
      description =
          "how long to wait for the coordinator to answer its health check (default"
              + " ${DEFAULT-VALUE})")
  int waitSeconds;

  @CommandLine.Mixin CleanroomCli.ProgressOption progress = new CleanroomCli.ProgressOption();

  @Option(names = "--summary", description = "also write the summary as JSON to FILE")
  Path summaryFile;

  @Override
  public Integer call() {
    ProgressDisplay.Mode mode = progress.mode();
    Map<String, String> all = new LinkedHashMap<>(parameters);
    if (policy != null) {
      try {
        all.putAll(CleanroomCli.policyParameter(policy));
      } catch (IOException | IllegalArgumentException e) {
        System.err.println("submit: policy " + policy + ": " + e.getMessage());
        return 1;
      }
    }
    StudyPlan plan =
        StudyPlan.newBuilder()
            .addAllParticipants(participants)
            .setTask(task)
            .putAllParameters(all)
            .setTimeoutSeconds(timeoutSeconds)
            .build();
    Endpoint address;
    TlsMaterial operator;
    try {
      address = Endpoint.parse(coordinator);
      operator = TlsMaterial.loadDir(tls);
    } catch (IllegalArgumentException | IOException | GeneralSecurityException e) {
      System.err.println("submit: " + e.getMessage());
      return 1;
    }
    long t0 = System.nanoTime();
    ManagedChannel channel = null;
    try {
      channel =
          Grpc.newChannelBuilder(
                  address.target(),
                  MutualTls.channelCredentials(
                      operator, new PartyIdentity(coordinatorName, Role.COORDINATOR)))
              .overrideAuthority(coordinatorName)
              .build();
      awaitServing(channel);
      StudySummary summary = run(channel, plan, mode);
      Map<String, Object> json =
          SummaryJson.toMap(summary, "deployed", (System.nanoTime() - t0) / 1e9);
      System.out.println(SummaryJson.render(json));
      if (summaryFile != null) {
        SummaryJson.write(summaryFile, json);
        System.out.println("wrote " + summaryFile);
      }
      if (!StudyState.DESTROYED.name().equals(summary.getState())) {
        System.err.println(
            "submit: study " + summary.getStudyId() + " aborted: " + summary.getAbortReason());
        return 1;
      }
      return 0;
    } catch (GeneralSecurityException | IOException e) {
      System.err.println("submit: " + e.getMessage());
      return 1;
    } catch (StatusRuntimeException e) {
      System.err.println(
          "submit: the coordinator at "
              + coordinator
              + " refused or lost the study: "
              + e.getStatus().getCode()
              + (e.getStatus().getDescription() == null
                  ? ""
                  : " " + e.getStatus().getDescription()));
      return 1;
    } finally {
      if (channel != null) {
        channel.shutdownNow();
      }
    }
  }

  /** Waits for the coordinator's health check to answer SERVING, for up to --wait-seconds. */
  private void awaitServing(ManagedChannel channel) throws IOException {
    String last;
    try {
      last = HealthWait.await(channel, waitSeconds, 2_000, 500, () -> {});
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while waiting for the coordinator", e);
    }
    if (last == null) {
      return;
    }
    throw new IOException(
        "the coordinator at "
            + coordinator
            + " did not answer its health check within "
            + waitSeconds
            + " s ("
            + last
            + ")");
  }

  private StudySummary run(ManagedChannel channel, StudyPlan plan, ProgressDisplay.Mode mode)
      throws IOException {
    try (ProgressDisplay display = ProgressDisplay.of(mode, System.out)) {
      Iterator<StudyProgress> it =
          OperatorGrpc.newBlockingStub(channel)
              .withDeadlineAfter(plan.getTimeoutSeconds() + 60L, TimeUnit.SECONDS)
              .runStudy(plan);
      while (it.hasNext()) {
        StudyProgress p = it.next();
        if (p.hasSummary()) {
          return p.getSummary();
        }
        display.show(plan, p);
      }
    }
    throw new IOException("the coordinator ended the study without a summary");
  }
}
