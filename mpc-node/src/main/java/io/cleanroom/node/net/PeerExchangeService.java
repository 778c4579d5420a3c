package io.cleanroom.node.net;

import io.cleanroom.protocol.pki.PartyIdentity;
import io.cleanroom.protocol.pki.PeerIdentityInterceptor;
import io.cleanroom.protocol.pki.Role;
import io.cleanroom.protocol.transport.Inbox;
import io.cleanroom.protocol.transport.RefusedBatchException;
import io.cleanroom.protocol.wire.v1.Batch;
import io.cleanroom.protocol.wire.v1.ExchangeReceipt;
import io.cleanroom.protocol.wire.v1.PeerExchangeGrpc;
import io.grpc.BindableService;
import io.grpc.MethodDescriptor;
import io.grpc.ServerMethodDefinition;
import io.grpc.ServerServiceDefinition;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.StreamObserver;
import java.io.InputStream;

/**
 * Receives other nodes' batches. The sender is the identity in its client certificate; the first
 * batch of a stream binds the stream to a study, and every batch goes through that study's {@link
 * Inbox}. The stream is refused, with a Status whose description gives the reason and a log line,
 * at the first batch that does not fit.
 */
public final class PeerExchangeService implements PeerExchangeGrpc.AsyncService, BindableService {

  private static final System.Logger LOG = System.getLogger(PeerExchangeService.class.getName());

  /**
   * Stands for bytes on the stream that do not parse as a {@link Batch}. gRPC would otherwise fail
   * the call before the service sees the message, with neither a clear Status for the sender nor
   * any notice to the study; parsing leniently lets {@link #exchange} refuse it like any other
   * batch.
   */
  private static final Batch UNPARSABLE = Batch.newBuilder().build();

  private final String self;
  private final Inboxes inboxes;

  public PeerExchangeService(String self, Inboxes inboxes) {
    this.self = self;
    this.inboxes = inboxes;
  }

  @Override
  public ServerServiceDefinition bindService() {
    ServerServiceDefinition plain = PeerExchangeGrpc.bindService(this);
    ServerServiceDefinition.Builder out =
        ServerServiceDefinition.builder(plain.getServiceDescriptor().getName());
    for (ServerMethodDefinition<?, ?> m : plain.getMethods()) {
      if (m.getMethodDescriptor()
          .getFullMethodName()
          .equals(PeerExchangeGrpc.getExchangeMethod().getFullMethodName())) {
        @SuppressWarnings("unchecked")
        ServerMethodDefinition<Batch, ExchangeReceipt> exchange =
            (ServerMethodDefinition<Batch, ExchangeReceipt>) m;
        MethodDescriptor<Batch, ExchangeReceipt> d = exchange.getMethodDescriptor();
        out.addMethod(
            d.toBuilder().setRequestMarshaller(new Lenient(d.getRequestMarshaller())).build(),
            exchange.getServerCallHandler());
      } else {
        out.addMethod(m);
      }
    }
    return out.build();
  }

  /** Parses batches; bytes that are no batch become {@link #UNPARSABLE}. */
  private record Lenient(MethodDescriptor.Marshaller<Batch> plain)
      implements MethodDescriptor.Marshaller<Batch> {
    @Override
    public InputStream stream(Batch value) {
      return plain.stream(value);
    }

    @Override
    public Batch parse(InputStream stream) {
      try {
        return plain.parse(stream);
      } catch (StatusRuntimeException e) {
        return UNPARSABLE;
      }
    }
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
        if (batch == UNPARSABLE) {
          String reason =
              "message "
                  + (lastSeq + 1)
                  + " from "
                  + peer.name()
                  + (inbox == null ? "" : " in study " + inbox.studyId())
                  + " is not a well-formed Batch";
          if (inbox != null) {
            inbox.stop(reason);
          }
          refuse(Status.INVALID_ARGUMENT, reason);
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
          // The stream broke before the sender completed it: cancelled, past its deadline, or cut
          // off by gRPC (e.g. a message over the size limit or bytes that are no Batch). Whatever
          // the sender still had for this study is lost, so the study cannot go on.
          String reason =
              "the exchange stream from "
                  + peer.name()
                  + " in study "
                  + inbox.studyId()
                  + " broke off after seq "
                  + lastSeq
                  + ": "
                  + Status.fromThrowable(t);
          LOG.log(System.Logger.Level.WARNING, reason);
          inbox.stop(reason);
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
