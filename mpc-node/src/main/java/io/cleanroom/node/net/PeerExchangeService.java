package io.cleanroom.node.net;

import io.cleanroom.protocol.pki.PartyIdentity;
import io.cleanroom.protocol.pki.PeerIdentityInterceptor;
import io.cleanroom.protocol.pki.Role;
import io.cleanroom.protocol.transport.Inbox;
import io.cleanroom.protocol.transport.RefusedBatchException;
import io.cleanroom.protocol.wire.v1.Batch;
import io.cleanroom.protocol.wire.v1.ExchangeReceipt;
import io.cleanroom.protocol.wire.v1.PeerExchangeGrpc;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;

/**
 * Receives other nodes' batches. The sender is the identity in its client certificate; the first
 * batch of a stream binds the stream to a study, and every batch goes through that study's {@link
 * Inbox}. The stream is refused, with a Status whose description gives the reason and a log line,
 * at the first batch that does not fit.
 */
public final class PeerExchangeService extends PeerExchangeGrpc.PeerExchangeImplBase {

  private static final System.Logger LOG = System.getLogger(PeerExchangeService.class.getName());

  private final String self;
  private final Inboxes inboxes;

  public PeerExchangeService(String self, Inboxes inboxes) {
    this.self = self;
    this.inboxes = inboxes;
  }

  @Override
  public StreamObserver<Batch> exchange(StreamObserver<ExchangeReceipt> responses) {
    PartyIdentity peer = PeerIdentityInterceptor.current();
    return new StreamObserver<>() {
      private Inbox inbox;
      private long lastSeq;
      private boolean refused;

      @Override
      public void onNext(Batch batch) {
        if (refused) {
          return;
        }
        if (peer.role() != Role.NODE) {
          refuse(
              Status.PERMISSION_DENIED, peer + " is not a bank node; only nodes exchange shares");
          return;
        }
        String study = batch.getHeader().getStudyId();
        if (inbox == null) {
          inbox = inboxes.get(study);
          if (inbox == null) {
            refuse(
                Status.FAILED_PRECONDITION,
                "batch from "
                    + peer.name()
                    + " for study \""
                    + study
                    + "\", which "
                    + self
                    + " is not running");
            return;
          }
        }
        try {
          inbox.accept(peer.name(), batch);
          lastSeq = batch.getHeader().getSeq();
        } catch (RefusedBatchException e) {
          refuse(status(e.reason()), e.getMessage());
        }
      }

      private void refuse(Status status, String reason) {
        refused = true;
        LOG.log(System.Logger.Level.WARNING, "refused stream from " + peer.name() + ": " + reason);
        responses.onError(status.withDescription(reason).asRuntimeException());
      }

      @Override
      public void onError(Throwable t) {
        if (inbox != null && !refused) {
          LOG.log(
              System.Logger.Level.DEBUG,
              "stream from " + peer.name() + " ended: " + Status.fromThrowable(t));
        }
      }

      @Override
      public void onCompleted() {
        if (!refused) {
          responses.onNext(
              ExchangeReceipt.newBuilder()
                  .setStudyId(inbox == null ? "" : inbox.studyId())
                  .setLastSeq(lastSeq)
                  .build());
          responses.onCompleted();
        }
      }
    };
  }

  private static Status status(RefusedBatchException.Reason reason) {
    return switch (reason) {
      case NOT_A_PARTICIPANT -> Status.PERMISSION_DENIED;
      case TOO_LARGE -> Status.RESOURCE_EXHAUSTED;
      case MALFORMED -> Status.INVALID_ARGUMENT;
      case STUDY_STOPPED -> Status.ABORTED;
      default -> Status.FAILED_PRECONDITION;
    };
  }
}
