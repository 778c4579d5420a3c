package io.cleanroom.node.net;

import io.cleanroom.node.config.NodeConfig;
import io.cleanroom.protocol.transport.FramedTransport;
import io.cleanroom.protocol.transport.Inbox;
import io.cleanroom.protocol.transport.StudyAbortedException;
import io.cleanroom.protocol.wire.v1.Batch;
import io.cleanroom.protocol.wire.v1.ExchangeReceipt;
import io.cleanroom.protocol.wire.v1.PeerExchangeGrpc;
import io.grpc.Status;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The production {@link io.cleanroom.protocol.transport.Transport}: one client stream of {@code
 * PeerExchange.Exchange} per peer and study, carrying this node's batches in sequence order with
 * gRPC flow control (a sender waits while the receiver's window is full). The stream's deadline is
 * the study's timeout. A peer that refuses a batch ends the stream with a Status; the next send to
 * it fails with that reason.
 */
public final class GrpcTransport extends FramedTransport implements AutoCloseable {

  private final PeerChannels channels;
  private final Duration studyTimeout;
  private final Map<String, PeerStream> streams = new ConcurrentHashMap<>();
  private volatile InjectedFaults faults;

  public GrpcTransport(
      String studyId,
      String self,
      List<String> parties,
      Inbox inbox,
      PeerChannels channels,
      Duration studyTimeout) {
    super(studyId, self, parties, inbox);
    this.channels = channels;
    this.studyTimeout = studyTimeout;
  }

  /** For testing only: delays or drops the batches sent to one peer, see {@link NodeConfig}. */
  public void injectFaults(NodeConfig.Faults faults) {
    this.faults = InjectedFaults.of(faults);
  }

  @Override
  protected void deliver(String to, Batch batch) {
    InjectedFaults f = faults;
    if (f != null && f.affects(to)) {
      try {
        if (!f.pass()) {
          return;
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new StudyAbortedException("interrupted while sending to " + to, e);
      }
    }
    streams.computeIfAbsent(to, PeerStream::new).send(batch);
  }

  /** Ends every stream and waits for the peers' receipts. */
  @Override
  public void close() {
    for (PeerStream s : streams.values()) {
      s.finish();
    }
  }

  /** Cancels every stream of a study that stopped. */
  public void cancel(String reason) {
    for (PeerStream s : streams.values()) {
      s.requests.cancel(reason, null);
    }
  }

  private final class PeerStream implements ClientResponseObserver<Batch, ExchangeReceipt> {
    private final String peer;
    private final Object ready = new Object();
    private final CompletableFuture<ExchangeReceipt> receipt = new CompletableFuture<>();
    private final ClientCallStreamObserver<Batch> requests;
    private volatile Throwable failure;

    PeerStream(String peer) {
      this.peer = peer;
      this.requests =
          (ClientCallStreamObserver<Batch>)
              PeerExchangeGrpc.newStub(channels.channel(peer))
                  .withDeadlineAfter(studyTimeout.toMillis(), TimeUnit.MILLISECONDS)
                  .exchange(this);
    }

    @Override
    public void beforeStart(ClientCallStreamObserver<Batch> stream) {
      stream.setOnReadyHandler(this::wake);
    }

    private void wake() {
      synchronized (ready) {
        ready.notifyAll();
      }
    }

    synchronized void send(Batch batch) {
      try {
        synchronized (ready) {
          while (!requests.isReady() && failure == null) {
            if (inbox().stopReason() != null) {
              throw new StudyAbortedException(inbox().stopReason());
            }
            ready.wait(50);
          }
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new StudyAbortedException("interrupted while sending to " + peer, e);
      }
      if (failure != null) {
        throw new StudyAbortedException(describe(failure), failure);
      }
      requests.onNext(batch);
    }

    void finish() {
      if (failure != null) {
        return;
      }
      requests.onCompleted();
      try {
        receipt.get(30, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      } catch (ExecutionException | TimeoutException e) {
        // The study's outcome is already decided; a late receipt changes nothing.
      }
    }

    private String describe(Throwable t) {
      Status s = Status.fromThrowable(t);
      return peer
          + " ended the exchange: "
          + s.getCode()
          + (s.getDescription() == null ? "" : " " + s.getDescription());
    }

    @Override
    public void onNext(ExchangeReceipt value) {
      receipt.complete(value);
    }

    @Override
    public void onError(Throwable t) {
      failure = t;
      inbox().stop(describe(t));
      receipt.completeExceptionally(t);
      wake();
    }

    @Override
    public void onCompleted() {
      receipt.complete(ExchangeReceipt.getDefaultInstance());
    }
  }
}
