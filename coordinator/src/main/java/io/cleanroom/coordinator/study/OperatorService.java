package io.cleanroom.coordinator.study;

import io.cleanroom.protocol.pki.PartyIdentity;
import io.cleanroom.protocol.pki.PeerIdentityInterceptor;
import io.cleanroom.protocol.pki.Role;
import io.cleanroom.protocol.wire.v1.OperatorGrpc;
import io.cleanroom.protocol.wire.v1.StudyPlan;
import io.cleanroom.protocol.wire.v1.StudyProgress;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import java.util.concurrent.ExecutorService;

/**
 * The operator's interface: run a study and follow its progress. Callers need the operator role.
 */
public final class OperatorService extends OperatorGrpc.OperatorImplBase {

  private static final System.Logger LOG = System.getLogger(OperatorService.class.getName());

  private final StudyDriver driver;
  private final ExecutorService executor;
  private final StudyBoard board;

  public OperatorService(StudyDriver driver, ExecutorService executor, StudyBoard board) {
    this.driver = driver;
    this.executor = executor;
    this.board = board;
  }

  @Override
  public void runStudy(StudyPlan plan, StreamObserver<StudyProgress> responses) {
    PartyIdentity caller = PeerIdentityInterceptor.current();
    if (caller.role() != Role.OPERATOR) {
      String reason = caller + " may not run studies; the operator role is required";
      LOG.log(System.Logger.Level.WARNING, "refused: " + reason);
      responses.onError(Status.PERMISSION_DENIED.withDescription(reason).asRuntimeException());
      return;
    }
    try {
      StudyDriver.complete(plan);
    } catch (IllegalArgumentException e) {
      responses.onError(
          Status.INVALID_ARGUMENT.withDescription(e.getMessage()).asRuntimeException());
      return;
    }
    executor.execute(
        () -> {
          driver.run(
              plan,
              board.track(
                  plan,
                  p -> {
                    synchronized (responses) {
                      try {
                        responses.onNext(p);
                      } catch (RuntimeException gone) {
                        // The operator hung up; the study runs to its end regardless.
                      }
                    }
                  }));
          synchronized (responses) {
            try {
              responses.onCompleted();
            } catch (RuntimeException gone) {
              // As above.
            }
          }
        });
  }
}
